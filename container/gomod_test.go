package container

import (
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/modcheck"
)

// The container module's go.mod: its go line is the floor its requirements
// set, and exactly the modules it imports are direct requirements.
func TestGoMod(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	problems, err := modcheck.Problems(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("go.mod of the container module:\n%s", strings.Join(problems, "\n"))
	}
}
