package cases

import (
	"testing"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// TestCloseCodeLists checks the 7.7 and 7.9 code lists against the close
// codes the fuzzer itself accepts from a peer, and that 7.13 uses codes
// outside both.
func TestCloseCodeLists(t *testing.T) {
	for _, code := range validCloseCodes {
		if !frame.ValidReceivedCloseCode(code) {
			t.Errorf("7.7 code %d is not a valid close code", code)
		}
	}
	for _, code := range append(invalidCloseCodes, 5000, 65535) {
		if frame.ValidReceivedCloseCode(code) {
			t.Errorf("7.9/7.13 code %d is a valid close code", code)
		}
	}
}

// TestCloseRules checks the verdict rule of every 7.x case: a wrong close
// code fails the case, except where the outcome is informational.
func TestCloseRules(t *testing.T) {
	want := map[string]Judge{"7.1.6": InformationalOrder, "7.13.1": Informational, "7.13.2": Informational}
	ids, err := Resolve([]string{"7.*"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 37 {
		t.Errorf("%d cases in 7.x, want 37", len(ids))
	}
	for _, id := range ids {
		c, _ := ByID(id)
		j, ok := want[id]
		if !ok {
			j = WrongCodeFails
		}
		if c.Judge != j {
			t.Errorf("%s: rule %d, want %d", id, c.Judge, j)
		}
	}
}
