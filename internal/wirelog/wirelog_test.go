package wirelog

import (
	"strings"
	"testing"
)

func TestTextAndHexTruncation(t *testing.T) {
	if got := Text([]byte("Hello, world!")); got != "Hello, world!" {
		t.Errorf("Text = %q", got)
	}
	long := []byte(strings.Repeat("*", 65536))
	if got := Text(long); got != strings.Repeat("*", 64)+" ..." {
		t.Errorf("Text(long) = %q", got)
	}
	if got := Text([]byte{0x03, 0xe8}); got != "0x03e8" {
		t.Errorf("Text(close 1000) = %q, want 0x03e8", got)
	}
	if got := Hex(make([]byte, 61)); !strings.HasSuffix(got, " ...") || len(got) != 122+4 {
		t.Errorf("Hex(61 octets) = %q", got)
	}
	if got := Hex(make([]byte, 60)); strings.HasSuffix(got, " ...") {
		t.Errorf("Hex(60 octets) must not be cut: %q", got)
	}
}
