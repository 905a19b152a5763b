package suite

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/oracleverdicts"
)

// baselineRun runs suite/testdata/baseline with server against the
// baseline file path, and returns the states and failure messages of its
// case specs by id and whether the suite passed.
func baselineRun(t *testing.T, server, path string, env []string, args ...string) (map[string]types.SpecReport, bool) {
	specs, _, passed := baselineRunOutput(t, server, path, env, args...)
	return specs, passed
}

// baselineRunOutput is baselineRun that also returns the output of the
// ReportAfterSuite nodes, which Ginkgo captures under -p.
func baselineRunOutput(t *testing.T, server, path string, env []string, args ...string) (map[string]types.SpecReport, string, bool) {
	t.Helper()
	env = append([]string{harness.UpdateEnv + "=", "SERVER=" + server, "BASELINE=" + path}, env...)
	rep, passed := ginkgoRun(t, env, append(args, "./suite/testdata/baseline")...)
	var out strings.Builder
	for _, s := range rep.SpecReports {
		if s.LeafNodeType == types.NodeTypeReportAfterSuite {
			out.WriteString(s.CapturedStdOutErr)
		}
	}
	return ranSpecs(t, rep)[RoleServer], out.String(), passed
}

// wantStates checks the states of the specs and that each failure message
// holds its wanted text.
func wantStates(t *testing.T, step string, specs map[string]types.SpecReport, want map[string]types.SpecState, msgs map[string]string) {
	t.Helper()
	if len(specs) != len(want) {
		t.Errorf("%s: %d specs ran, want %d", step, len(specs), len(want))
	}
	for id, st := range want {
		s := specs[id]
		if s.State != st {
			t.Errorf("%s: %s %s, want %s\n%s", step, id, s.State, st, s.Failure.Message)
		}
		if m := msgs[id]; m != "" && !strings.Contains(s.Failure.Message, m) {
			t.Errorf("%s: %s failure message lacks %q:\n%s", step, id, m, s.Failure.Message)
		}
	}
}

// TestCLIBaseline is docs/baselines.md's worked example in the suite: the
// baseline written with AUTOBAHN_UPDATE_BASELINE=1 under ginkgo -p records
// 6.3.1 and 6.3.2 as the real fuzzer found them; the same server then
// passes, a regression fails, the fix fails as a stale baseline, a flaky
// entry passes either way, and a malformed file fails the configuration
// spec with the field named.
func TestCLIBaseline(t *testing.T) {
	oracle, err := oracleverdicts.Of("fuzzingclient-gorilla")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "autobahn.json")
	reports := filepath.Join(dir, "reports")
	pass, fail := types.SpecStatePassed, types.SpecStateFailed

	specs, out, passed := baselineRunOutput(t, "plain", path, []string{harness.UpdateEnv + "=1"}, "-p")
	if !passed {
		t.Error("the update run failed")
	}
	if want := "autobahn baseline " + path + ": 3 cases: 1 passed, 0 failed, 2 failed as expected, 0 informational"; !strings.Contains(out, want) {
		t.Errorf("the summary line %q is missing:\n%s", want, out)
	}
	wantStates(t, "update", specs, map[string]types.SpecState{"6.2.1": pass, "6.3.1": pass, "6.3.2": pass}, nil)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"6.3.1", "6.3.2"} {
		v := oracle[id]
		line := `{"role":"server","agent":"gorilla","case":"` + id + `","behavior":"` + v[0] + `","behaviorClose":"` + v[1] + `"}`
		if !bytes.Contains(text, []byte(line)) {
			t.Errorf("the baseline lacks %s:\n%s", line, text)
		}
	}
	if bytes.Contains(text, []byte(`"6.2.1"`)) {
		t.Errorf("the baseline lists 6.2.1, which passes:\n%s", text)
	}

	specs, passed = baselineRun(t, "plain", path, []string{"REPORTS=" + reports})
	if !passed {
		t.Error("the same server failed against its baseline")
	}
	wantStates(t, "match", specs, map[string]types.SpecState{"6.2.1": pass, "6.3.1": pass, "6.3.2": pass}, nil)
	index, err := os.ReadFile(filepath.Join(reports, "index.html"))
	if err != nil || bytes.Count(index, []byte(`<span class="mark">expected failure</span>`)) != 2 {
		t.Errorf("index.html lacks two expected failure marks (%v)", err)
	}

	specs, _ = baselineRun(t, "binary", path, nil)
	wantStates(t, "regression", specs, map[string]types.SpecState{"6.2.1": fail, "6.3.1": pass, "6.3.2": pass},
		map[string]string{"6.2.1": "failed under the default policy"})

	specs, out, _ = baselineRunOutput(t, "utf8", path, nil, "-p")
	if want := ": 3 cases: 1 passed, 2 failed, 0 failed as expected, 0 informational, 2 of the failed stale in the baseline"; !strings.Contains(out, want) {
		t.Errorf("the summary line %q is missing:\n%s", want, out)
	}
	wantStates(t, "fix", specs, map[string]types.SpecState{"6.2.1": pass, "6.3.1": fail, "6.3.2": fail},
		map[string]string{"6.3.1": "stale baseline: " + path + " records behavior FAILED", "6.3.2": harness.UpdateEnv + "=1"})

	changed := filepath.Join(dir, "changed.json")
	write(t, changed, `{"autobahnBaseline": 1, "cases": [
	  {"role": "server", "agent": "gorilla", "case": "6.3.1", "flaky": true},
	  {"role": "server", "agent": "gorilla", "case": "6.3.2", "behavior": "FAILED", "behaviorClose": "UNCLEAN", "reason": "known"}]}`)
	specs, _ = baselineRun(t, "plain", changed, nil)
	wantStates(t, "flaky and changed", specs, map[string]types.SpecState{"6.2.1": pass, "6.3.1": pass, "6.3.2": fail},
		map[string]string{"6.3.2": "regression: baseline " + changed + " records behavior FAILED, behaviorClose UNCLEAN (known), observed"})

	indexJSON, err := filepath.Abs("../harness/testdata/gorilla-index.json")
	if err != nil {
		t.Fatal(err)
	}
	specs, passed = baselineRun(t, "plain", indexJSON, nil)
	if !passed {
		t.Error("the real fuzzer's index.json of gorilla's server as the baseline failed")
	}
	wantStates(t, "index.json", specs, map[string]types.SpecState{"6.2.1": pass, "6.3.1": pass, "6.3.2": pass}, nil)

	bad := filepath.Join(dir, "bad.json")
	write(t, bad, `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "gorilla", "case": "6.3.1", "behavior": "FAILED", "behaviorClose": "SHUT"}]}`)
	rep, passed := ginkgoRun(t, []string{"SERVER=plain", "BASELINE=" + bad}, "./suite/testdata/baseline")
	found := false
	for _, s := range rep.SpecReports {
		if strings.Contains(s.LeafNodeText, "is configured") && strings.Contains(s.Failure.Message, `field "behaviorClose": unknown verdict "SHUT"`) {
			found = true
		}
	}
	if passed || !found {
		t.Errorf("a malformed baseline: passed %v, configuration failure with the field named %v", passed, found)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
