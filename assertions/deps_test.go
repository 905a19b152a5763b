package assertions_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDeps checks that the matchers depend on package report and Gomega,
// not on the fuzzer's engine, its fake peers or the harness that runs them:
// importing assertions must not pull a fuzzer into a test binary.
func TestDeps(t *testing.T) {
	args := []string{"list", "-deps", "."}
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go %v: %v", args, err)
	}
	deps := strings.Fields(string(out))
	for _, want := range []string{"github.com/wsfuzz/autobahn/report", "github.com/onsi/gomega/types"} {
		if !slices.Contains(deps, want) {
			t.Fatalf("go %v lists no %s: %q", args, want, deps)
		}
	}
	for _, d := range deps {
		for _, banned := range []string{"/harness", "/fakeclient", "/fakeserver", "/internal/engine"} {
			if strings.HasPrefix(d, "github.com/wsfuzz/autobahn/") && strings.HasSuffix(d, banned) {
				t.Errorf("go %v: assertions depends on %s", args, d)
			}
		}
	}
}
