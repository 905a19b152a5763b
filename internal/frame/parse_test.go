package frame

import (
	"encoding/hex"
	"strconv"
	"testing"
)

func TestHeaderParse(t *testing.T) {
	mask := [4]byte{0x0e, 0x39, 0xae, 0xd9}
	tests := []struct {
		name string
		in   string // hex
		h    Header
		n    int
		ok   bool
		err  error
	}{
		{"empty", "", Header{}, 0, false, nil},
		{"one octet", "81", Header{}, 0, false, nil},
		{"7-bit zero", "8100", Header{Opcode: OpText, Fin: true}, 2, true, nil},
		{"7-bit 125", "027d", Header{Opcode: OpBinary, Length: 125, LengthField: 125}, 2, true, nil},
		{"7-bit with payload after", "81056162", Header{Opcode: OpText, Fin: true, Length: 5, LengthField: 5}, 2, true, nil},
		{"rsv and reserved opcode", "fb01", Header{Opcode: 11, Fin: true, RSV: 7, Length: 1, LengthField: 1}, 2, true, nil},
		{"rsv 4 no fin", "4003", Header{Opcode: OpContinuation, RSV: 4, Length: 3, LengthField: 3}, 2, true, nil},
		{"masked", "818d0e39aed9", Header{Opcode: OpText, Fin: true, Masked: true, Mask: mask, Length: 13, LengthField: 13}, 6, true, nil},
		{"masked partial key", "818d0e39ae", Header{Opcode: OpText, Fin: true, Masked: true, LengthField: 13}, 6, false, nil},
		{"masked no key", "8880", Header{Opcode: OpClose, Fin: true, Masked: true}, 6, false, nil},

		{"16-bit partial", "827e00", Header{Opcode: OpBinary, Fin: true, LengthField: 126}, 4, false, nil},
		{"16-bit 126", "827e007e", Header{Opcode: OpBinary, Fin: true, Length: 126, LengthField: 126}, 4, true, nil},
		{"16-bit 65535", "827effff", Header{Opcode: OpBinary, Fin: true, Length: 65535, LengthField: 126}, 4, true, nil},
		{"16-bit non-minimal 125", "827e007d", Header{Opcode: OpBinary, Fin: true, Length: 125, LengthField: 126}, 4, true, ErrNonMinimalLength},
		{"16-bit non-minimal 0", "827e0000", Header{Opcode: OpBinary, Fin: true, LengthField: 126}, 4, true, ErrNonMinimalLength},
		{"16-bit masked partial key", "82fe01000e39", Header{Opcode: OpBinary, Fin: true, Masked: true, LengthField: 126}, 8, false, nil},
		{"16-bit masked", "82fe01000e39aed9", Header{Opcode: OpBinary, Fin: true, Masked: true, Mask: mask, Length: 256, LengthField: 126}, 8, true, nil},

		{"64-bit partial", "827f00000000000100", Header{Opcode: OpBinary, Fin: true, LengthField: 127}, 10, false, nil},
		{"64-bit 65536", "827f0000000000010000", Header{Opcode: OpBinary, Fin: true, Length: 65536, LengthField: 127}, 10, true, nil},
		{"64-bit max", "827f7fffffffffffffff", Header{Opcode: OpBinary, Fin: true, Length: MaxLength, LengthField: 127}, 10, true, nil},
		{"64-bit non-minimal 65535", "827f000000000000ffff", Header{Opcode: OpBinary, Fin: true, Length: 65535, LengthField: 127}, 10, true, ErrNonMinimalLength},
		{"64-bit non-minimal 5", "827f0000000000000005", Header{Opcode: OpBinary, Fin: true, Length: 5, LengthField: 127}, 10, true, ErrNonMinimalLength},
		{"64-bit msb set", "827f8000000000000000", Header{Opcode: OpBinary, Fin: true, Length: 1 << 63, LengthField: 127}, 10, true, ErrLengthTooLarge},
		{"64-bit all ones", "827fffffffffffffffff", Header{Opcode: OpBinary, Fin: true, Length: 1<<64 - 1, LengthField: 127}, 10, true, ErrLengthTooLarge},
		{"64-bit masked partial key", "82ff00000000000100000e39aed9"[:26], Header{Opcode: OpBinary, Fin: true, Masked: true, LengthField: 127}, 14, false, nil},
		{"64-bit masked", "82ff00000000000100000e39aed9", Header{Opcode: OpBinary, Fin: true, Masked: true, Mask: mask, Length: 65536, LengthField: 127}, 14, true, nil},
		{"64-bit masked msb set", "82ff80000000000000010e39aed9", Header{Opcode: OpBinary, Fin: true, Masked: true, Mask: mask, Length: 1<<63 + 1, LengthField: 127}, 14, true, ErrLengthTooLarge},
	}
	for _, tt := range tests {
		b, err := hex.DecodeString(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var h Header
		n, ok, err := h.Parse(b)
		if h != tt.h || n != tt.n || ok != tt.ok || err != tt.err {
			t.Errorf("%s: Parse(%s) = %+v, %d, %v, %v; want %+v, %d, %v, %v", tt.name, tt.in, h, n, ok, err, tt.h, tt.n, tt.ok, tt.err)
		}
	}
}

// TestHeaderParseEveryPrefix decodes every prefix of encoded headers: short
// of two octets nothing is set, short of the whole header only the first two
// octets' fields, and the whole header decodes to what was encoded.
func TestHeaderParseEveryPrefix(t *testing.T) {
	for _, length := range []uint64{0, 1, 125, 126, 65535, 65536, MaxLength} {
		for _, masked := range []bool{false, true} {
			want := Header{Opcode: OpPing, Fin: true, RSV: 2, Masked: masked, Length: length}
			if masked {
				want.Mask = [4]byte{1, 2, 3, 4}
			}
			enc := AppendHeader(nil, want)
			want.LengthField = enc[1] & 0x7f
			first := Header{Opcode: want.Opcode, Fin: want.Fin, RSV: want.RSV, Masked: masked, LengthField: want.LengthField}
			for i := range len(enc) + 1 {
				h := Header{Opcode: 0xff, Length: 1, Mask: [4]byte{9}} // overwritten from two octets on
				n, ok, err := h.Parse(enc[:i])
				switch {
				case err != nil:
					t.Errorf("Parse(%x) error %v", enc[:i], err)
				case i < 2 && (n != 0 || ok || h != Header{Opcode: 0xff, Length: 1, Mask: [4]byte{9}}):
					t.Errorf("Parse(%x) = %+v, %d, %v; want nothing decoded", enc[:i], h, n, ok)
				case i >= 2 && n != len(enc):
					t.Errorf("Parse(%x): n = %d, want %d", enc[:i], n, len(enc))
				case i >= 2 && i < len(enc) && (ok || h != first):
					t.Errorf("Parse(%x) = %+v, ok %v; want %+v, not ok", enc[:i], h, ok, first)
				case i == len(enc) && (!ok || h != want):
					t.Errorf("Parse(%x) = %+v, ok %v; want %+v, ok", enc[:i], h, ok, want)
				}
			}
		}
	}
}

// FuzzHeaderParse checks that any header AppendHeader encodes decodes to
// itself, followed by anything.
func FuzzHeaderParse(f *testing.F) {
	f.Add(byte(0x81), true, uint64(5), []byte("tail"))
	f.Add(byte(0x72), false, uint64(70000), []byte{})
	f.Fuzz(func(t *testing.T, b0 byte, masked bool, length uint64, tail []byte) {
		want := Header{Opcode: b0 & 0x0f, Fin: b0&0x80 != 0, RSV: b0 >> 4 & 7, Masked: masked, Length: length}
		if masked {
			want.Mask = [4]byte{b0, 1, b0, 2}
		}
		enc := AppendHeader(nil, want)
		want.LengthField = enc[1] & 0x7f
		var h Header
		n, ok, err := h.Parse(append(enc, tail...))
		wantErr := error(nil)
		if length > MaxLength {
			wantErr = ErrLengthTooLarge
		}
		if h != want || n != len(enc) || !ok || err != wantErr {
			t.Fatalf("Parse(%x) = %+v, %d, %v, %v; want %+v, %d, true, %v", enc, h, n, ok, err, want, len(enc), wantErr)
		}
	})
}

func BenchmarkHeaderParse(b *testing.B) {
	for _, length := range []uint64{16, 1000, 70000} {
		enc := AppendHeader(nil, Header{Opcode: OpText, Fin: true, Masked: true, Mask: [4]byte{1, 2, 3, 4}, Length: length})
		b.Run(strconv.FormatUint(length, 10), func(b *testing.B) {
			for b.Loop() {
				var h Header
				if _, ok, _ := h.Parse(enc); !ok {
					b.Fatal("not ok")
				}
			}
		})
	}
}
