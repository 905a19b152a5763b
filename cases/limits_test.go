package cases

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// TestEchoCases checks that each 9.1-9.6 case waits for what it sends: the
// same type and length, for as long as its close timer, and that its text
// for an echo of the wrong type names the types (9.4 keeps the real
// fuzzer's "got binary").
func TestEchoCases(t *testing.T) {
	ids, err := Resolve([]string{"9.1.*", "9.2.*", "9.3.*", "9.4.*", "9.5.*", "9.6.*"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 42 {
		t.Errorf("%d cases in 9.1-9.6, want 42", len(ids))
	}
	for _, id := range ids {
		c, _ := ByID(id)
		e := c.Echo
		if e == nil || len(c.Steps) != 2 || c.Steps[1].Action != CloseAfter {
			t.Fatalf("%s: not a message and a close timer", id)
		}
		s := c.Steps[0]
		binary := s.Binary || s.Opcode == frame.OpBinary
		size := len(s.Payload)
		if s.RepeatLen != nil {
			size = *s.RepeatLen
		}
		if e.Binary != binary || e.Length != size || e.Wait != c.Steps[1].Delay {
			t.Errorf("%s: waits for binary=%v %d octets within %v, sends binary=%v %d octets and closes after %v",
				id, e.Binary, e.Length, e.Wait, binary, size, c.Steps[1].Delay)
		}
		kind, other := "text", "binary"
		if binary {
			kind, other = "binary", "text"
		}
		if strings.HasPrefix(id, "9.4.") {
			other = "binary"
		}
		if want := fmt.Sprintf("Expected %s message with payload, but got %s.", kind, other); e.WrongType != want {
			t.Errorf("%s: wrong-type text %q, want %q", id, e.WrongType, want)
		}
	}
}

// TestCatalogHoldsNoBigBuffers checks that large messages are kept as
// patterns with a length, so that loading the catalog stays cheap.
func TestCatalogHoldsNoBigBuffers(t *testing.T) {
	total := 0
	for _, c := range All() {
		for _, s := range c.Steps {
			total += len(s.Payload) + len(s.Reason)
		}
		for _, o := range c.Expected {
			for _, e := range o.Events {
				total += len(e.Payload)
			}
		}
	}
	if total > 2<<20 {
		t.Errorf("the catalog holds %d octets of payloads", total)
	}
}
