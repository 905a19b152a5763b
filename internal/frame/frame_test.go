package frame

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func TestAppendHeaderMinimalLength(t *testing.T) {
	tests := []struct {
		h    Header
		want string
	}{
		{Header{Opcode: OpText, Fin: true, Length: 0}, "8100"},
		{Header{Opcode: OpText, Fin: true, Length: 125}, "817d"},
		{Header{Opcode: OpText, Fin: true, Length: 126}, "817e007e"},
		{Header{Opcode: OpBinary, Fin: true, Length: 65535}, "827effff"},
		{Header{Opcode: OpBinary, Fin: true, Length: 65536}, "827f0000000000010000"},
		{Header{Opcode: OpText, Fin: true, RSV: 4, Length: 13}, "c10d"},
		{Header{Opcode: OpClose, Fin: true, RSV: 7, Length: 0}, "f800"},
		{Header{Opcode: OpContinuation, Fin: false, Length: 9}, "0009"},
		{Header{Opcode: OpPing, Fin: true, Masked: true, Mask: [4]byte{1, 2, 3, 4}, Length: 0}, "898001020304"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(AppendHeader(nil, tt.h)); got != tt.want {
			t.Errorf("AppendHeader(%+v) = %s, want %s", tt.h, got, tt.want)
		}
	}
}

func TestEncodeMasksPayload(t *testing.T) {
	h := Header{Opcode: OpText, Fin: true, Masked: true, Mask: [4]byte{0x0e, 0x39, 0xae, 0xd9}}
	got := Encode(h, []byte("Hello, world!"))
	// From the seed report: the client's masked echo of "Hello, world!".
	if want := "818d0e39aed9465cc2b561158eae614bc2bd2f"; hex.EncodeToString(got) != want {
		t.Fatalf("Encode = %x, want %s", got, want)
	}
	Mask(h.Mask, 0, got[6:])
	if string(got[6:]) != "Hello, world!" {
		t.Fatal("masking twice must restore the payload")
	}
}

func TestRepeat(t *testing.T) {
	got, err := Repeat([]byte("BAsd7&jh23"), 25)
	if err != nil || string(got) != "BAsd7&jh23BAsd7&jh23BAsd7" {
		t.Fatalf("Repeat = %q, %v", got, err)
	}
	if _, err := Repeat(nil, 3); err == nil {
		t.Fatal("an empty pattern must be refused")
	}
}

func TestValidReceivedCloseCode(t *testing.T) {
	valid := []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}
	invalid := []int{0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535}
	for _, c := range valid {
		if !ValidReceivedCloseCode(c) {
			t.Errorf("%d must be valid", c)
		}
	}
	for _, c := range invalid {
		if ValidReceivedCloseCode(c) {
			t.Errorf("%d must be invalid", c)
		}
	}
}

func TestClosePayload(t *testing.T) {
	code := 1000
	if got := ClosePayload(&code, []byte("ok")); !bytes.Equal(got, []byte{0x03, 0xe8, 'o', 'k'}) {
		t.Fatalf("ClosePayload = %x", got)
	}
	if got := ClosePayload(nil, nil); len(got) != 0 {
		t.Fatalf("no code gives an empty body, got %x", got)
	}
}

func TestMaskMatchesOctetByOctet(t *testing.T) {
	key := [4]byte{0x0e, 0x39, 0xae, 0xd9}
	for n := 0; n <= 40; n++ {
		for pos := 0; pos < 8; pos++ {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(i * 7)
			}
			want := append([]byte(nil), b...)
			for i := range want {
				want[i] ^= key[(pos+i)&3]
			}
			if end := Mask(key, pos, b); end != pos+n || !bytes.Equal(b, want) {
				t.Fatalf("Mask(pos %d, %d octets) = %x, end %d; want %x, end %d", pos, n, b, end, want, pos+n)
			}
		}
	}
}
