package play

import (
	"strings"
	"testing"
)

// TestWireLogKeepsEnds checks that a long log keeps its first and last
// entries and says how many it left out.
func TestWireLogKeepsEnds(t *testing.T) {
	var l WireLog
	for i := range 3 * keptEntries {
		l.tx([]byte{byte(i)})
	}
	l.note("the end")
	lines := strings.Split(l.String(), "\n")
	if len(lines) != 2*keptEntries+1 {
		t.Fatalf("%d lines, want %d", len(lines), 2*keptEntries+1)
	}
	if !strings.Contains(lines[keptEntries], "61 writes and reads left out") || lines[len(lines)-1] != "the end" || !strings.HasSuffix(lines[0], "00") {
		t.Errorf("log:\n%s", l.String())
	}
}
