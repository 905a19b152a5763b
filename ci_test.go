package autobahn_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// stubGo is a go command that records where and how it ran, and fails the
// tests of the main module.
const stubGo = `#!/bin/sh
echo "$(basename "$PWD"): $*" >> "$STUB_LOG"
case "$PWD:$1" in
*/container:*) exit 0 ;;
*:test) exit 1 ;;
esac
exit 0
`

// .ci/run runs the tests of both modules and reports both, also when the
// first part fails, and then fails.
func TestCIRunsBothModules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs .ci/run with a stub go command")
	}
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(stubGo), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "log")
	cmd := exec.Command("bash", filepath.Join(root, ".ci", "run"))
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "STUB_LOG="+log)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf(".ci/run passed although the main module's tests failed:\n%s", out)
	}
	ran, _ := os.ReadFile(log)
	if !strings.Contains(string(ran), "container: test -race") {
		t.Errorf("the container module's tests did not run after the main module's failed; go ran:\n%s", ran)
	}
	for _, want := range []string{"=== test (main module): FAILED", "=== test (container module): passed", "=== FAILED steps: test (main module)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
