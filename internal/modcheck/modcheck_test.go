package modcheck

import (
	"strings"
	"testing"
)

// The module's go.mod: its go line is the floor its requirements set, and
// exactly the modules it imports are direct requirements.
func TestMainModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	problems, err := Problems("../..")
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("go.mod of the main module:\n%s", strings.Join(problems, "\n"))
	}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.25", "1.25.0", -1},
		{"1.25rc1", "1.25.0", -1},
		{"1.25", "1.25rc1", -1},
		{"1.25beta1", "1.25rc1", -1},
		{"1.25.0", "1.25.0", 0},
		{"1.26.8", "1.26.0", 1},
		{"1.9", "1.21", -1},
		{"2", "1.99.9", 1},
		{"", "1.12", -1},
	} {
		got, err := Compare(tc.a, tc.b)
		if err != nil || got != tc.want {
			t.Errorf("Compare(%q, %q) = %d, %v; want %d", tc.a, tc.b, got, err, tc.want)
		}
	}
	if _, err := Compare("1.x", "1.2"); err == nil {
		t.Error("a bad version compares without an error")
	}
}
