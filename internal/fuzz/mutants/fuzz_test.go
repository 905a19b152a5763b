package mutants

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/autobahntest"
)

// mutantEnv names the mutant FuzzMutant fuzzes.
const mutantEnv = "AUTOBAHN_FUZZ_MUTANT"

// FuzzMutant fuzzes the mutant named by $AUTOBAHN_FUZZ_MUTANT; without it
// the target skips (every mutant fails, by design).
func FuzzMutant(f *testing.F) {
	name := os.Getenv(mutantEnv)
	if name == "" {
		f.Skipf("set %s to a mutant's name to fuzz it", mutantEnv)
	}
	for _, m := range All() {
		if m.Name != name {
			continue
		}
		if m.Server != nil {
			autobahntest.FuzzServer(f, m.Name, m.Server)
		} else {
			autobahntest.FuzzClient(f, m.Name, m.Client)
		}
		return
	}
	f.Fatalf("no mutant %q", name)
}

// fuzzLimit is how long go test -fuzz has to find each mutant.
const fuzzLimit = 120 * time.Second

// TestFuzzProof runs go test -fuzz against every mutant from the seed
// corpus, with two workers, and checks that it finds the mutant within
// fuzzLimit; the times go to the log. Each new input is minimized for one
// second at most (-fuzzminimizetime=1s): Go's default of a minute per
// input stalls the search for most of the time. The test binary is built once, so the
// times are those of fuzzing, the baseline run of the seeds included. The
// input each run finds is removed again.
func TestFuzzProof(t *testing.T) {
	if os.Getenv(ProofEnv) == "" {
		t.Skipf("set %s=1 to fuzz every mutant (up to %v each)", ProofEnv, fuzzLimit)
	}
	if _, err := os.Stat("testdata"); err == nil {
		t.Fatal("testdata exists: the proof removes it after each run, so move it away first")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "mutants.test")
	build := exec.CommandContext(t.Context(), "go", "test", "-c", "-fuzz=^FuzzMutant$", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the fuzzing test binary: %v\n%s", err, out)
	}
	for _, m := range All() {
		t.Run(m.Name, func(t *testing.T) {
			defer os.RemoveAll("testdata")
			cmd := exec.CommandContext(t.Context(), bin, "-test.run=^$", "-test.fuzz=^FuzzMutant$",
				"-test.fuzztime="+fuzzLimit.String(), "-test.fuzzminimizetime=1s", "-test.parallel=2",
				"-test.fuzzcachedir="+filepath.Join(dir, "cache", m.Name))
			cmd.Env = append(os.Environ(), mutantEnv+"="+m.Name, ProofEnv+"=")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				t.Fatalf("fuzz %s: %v", m.Name, err)
			}
			if !strings.Contains(out.String(), "--- FAIL: FuzzMutant") {
				t.Fatalf("fuzzing did not find %s within %v:\n%s", m.Name, fuzzLimit, tail(out.String()))
			}
			t.Logf("%s found in %.1fs:\n%s", m.Name, took.Seconds(), rules(out.String()))
		})
	}
}

// rules picks the broken rules out of a fuzz failure.
func rules(out string) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `- rule "`) {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return strings.Join(lines, "\n")
}

// tail is the end of a long output.
func tail(out string) string {
	if len(out) > 3000 {
		return "..." + out[len(out)-3000:]
	}
	return out
}
