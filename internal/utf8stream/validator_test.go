package utf8stream

import (
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidMatchesStandardLibrary(t *testing.T) {
	// Go's utf8.Valid implements the same well-formedness rules.
	for _, s := range []string{
		"", "hello", "κόσμε", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf",
		"\xf4\x90\x80\x80", "\xed\xa0\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xf8\x88\x80\x80\x80",
		"\xfe", "\xff", "\x80", "\xce", "\xef\xbf\xbe", "\xf0\x90\x80\x80", "\xf0\x8f\xbf\xbf",
	} {
		if got, want := Valid([]byte(s)), utf8.ValidString(s); got != want {
			t.Errorf("Valid(%x) = %v, want %v", s, got, want)
		}
	}
}

func TestFailFastOffset(t *testing.T) {
	tests := []struct {
		chunks []string // hex
		okAt   []bool   // result of each Write
		offset int
	}{
		// 6.4.1: valid prefix, then F4 90 fails on the 0x90.
		{[]string{"cebae1bdb9cf83cebcceb5", "f4908080"}, []bool{true, false}, 13},
		// 6.4.2: the lead F4 alone is still valid, 0x90 fails.
		{[]string{"cebae1bdb9cf83cebcceb5f4", "90"}, []bool{true, false}, 13},
		// a surrogate fails on its second octet
		{[]string{"eda080"}, []bool{false}, 2},
	}
	for _, tt := range tests {
		var v Validator
		for i, c := range tt.chunks {
			b, _ := hex.DecodeString(c)
			if got := v.Write(b); got != tt.okAt[i] {
				t.Fatalf("%v: chunk %d: Write = %v, want %v", tt.chunks, i, got, tt.okAt[i])
			}
		}
		if v.Offset() != tt.offset {
			t.Errorf("%v: Offset = %d, want %d", tt.chunks, v.Offset(), tt.offset)
		}
	}
}

func TestCompleteNeedsWholeCodePoint(t *testing.T) {
	var v Validator
	if !v.Write([]byte{0xce}) || v.Complete() {
		t.Fatal("a lone lead octet is valid so far but not complete")
	}
	if !v.Write([]byte{0xba}) || !v.Complete() {
		t.Fatal("the finished code point must be complete")
	}
	v.Reset()
	if !v.Complete() {
		t.Fatal("Reset must leave an empty, complete validator")
	}
}

func FuzzValidAgreesWithStandardLibrary(f *testing.F) {
	f.Add([]byte("κόσμε"))
	f.Add([]byte{0xf4, 0x90, 0x80, 0x80})
	f.Fuzz(func(t *testing.T, p []byte) {
		if Valid(p) != utf8.Valid(p) {
			t.Fatalf("disagreement on %x", p)
		}
	})
}

// reference is octet-by-octet validation by Table 3-7, the way Write worked
// before its fast path: the oracle of the fail-fast position.
type reference struct {
	need   int
	lo, hi byte
	failed bool
	offset int
}

func (r *reference) write(p []byte) bool {
	for _, b := range p {
		if r.failed {
			return false
		}
		r.offset++
		if r.need > 0 {
			if b < r.lo || b > r.hi {
				r.failed = true
				return false
			}
			r.need--
			r.lo, r.hi = 0x80, 0xBF
			continue
		}
		r.lo, r.hi = 0x80, 0xBF
		switch {
		case b <= 0x7F:
		case b >= 0xC2 && b <= 0xDF:
			r.need = 1
		case b == 0xE0:
			r.need, r.lo = 2, 0xA0
		case b == 0xED:
			r.need, r.hi = 2, 0x9F
		case b >= 0xE1 && b <= 0xEF:
			r.need = 2
		case b == 0xF0:
			r.need, r.lo = 3, 0x90
		case b >= 0xF1 && b <= 0xF3:
			r.need = 3
		case b == 0xF4:
			r.need, r.hi = 3, 0x8F
		default:
			r.failed = true
			return false
		}
	}
	return !r.failed
}

// checkAgainstReference feeds p in chunks of the given sizes (cycled) to a
// Validator and to the reference, and fails on any difference in a Write's
// result, Offset, Valid or Complete.
func checkAgainstReference(t *testing.T, p []byte, sizes []int) {
	t.Helper()
	var v Validator
	var r reference
	for i, k := 0, 0; i < len(p); k++ {
		n := min(max(sizes[k%len(sizes)], 1), len(p)-i)
		chunk := p[i : i+n]
		i += n
		got, want := v.Write(chunk), r.write(chunk)
		if got != want || v.Offset() != r.offset {
			t.Fatalf("%x in chunks %v: after %d octets Write = %v, Offset = %d; want %v, %d",
				p, sizes, i, got, v.Offset(), want, r.offset)
		}
	}
	if v.Valid() != !r.failed || v.Complete() != (!r.failed && r.need == 0) {
		t.Fatalf("%x in chunks %v: Valid = %v, Complete = %v; want %v, %v",
			p, sizes, v.Valid(), v.Complete(), !r.failed, !r.failed && r.need == 0)
	}
}

func TestFastPathKeepsFailPosition(t *testing.T) {
	// Every bad or cut sequence at every position around the eight-octet
	// ASCII steps, in many chunkings.
	bad := []string{"\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5", "\xff",
		"\xce", "\xe1\xbd", "\xf0\x90\x80", "\xcex", "\xe1\xbdx", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf", "κόσμε"}
	chunkings := [][]int{{1}, {2}, {3}, {7}, {8}, {9}, {16}, {1 << 20}, {5, 1, 11}}
	for _, b := range bad {
		for pre := 0; pre <= 17; pre++ {
			p := []byte(strings.Repeat("a", pre) + b + "bcdefghijklmnopq" + b)
			for _, sizes := range chunkings {
				checkAgainstReference(t, p, sizes)
			}
		}
	}
}

func FuzzWriteAgreesWithReference(f *testing.F) {
	f.Add([]byte("hello, κόσμε, and more ASCII after it"), uint8(3))
	f.Add([]byte("0123456789abcdef\xf4\x90\x80\x80"), uint8(8))
	f.Add([]byte("abcdefg\xed\xa0\x80"), uint8(1))
	f.Fuzz(func(t *testing.T, p []byte, chunk uint8) {
		checkAgainstReference(t, p, []int{int(chunk%32) + 1, 1 << 20})
	})
}
