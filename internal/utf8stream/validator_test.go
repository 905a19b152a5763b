package utf8stream

import (
	"encoding/hex"
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
