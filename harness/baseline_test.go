package harness

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/report"
)

// baselineText records 6.3.1 as failing, 6.4.1 as flaky and 1.1.1 and
// section H's H.2.8 as failing, for server "g", and 2.1 as failing for
// client "g".
const baselineText = `{
 "autobahnBaseline": 1,
 "cases": [
  {"role": "server", "agent": "g", "case": "6.3.1", "behavior": "FAILED", "behaviorClose": "OK", "reason": "no UTF-8 check"},
  {"role": "server", "agent": "g", "case": "6.3.2", "behavior": "FAILED", "behaviorClose": "OK", "remoteCloseCode": 1000},
  {"role": "server", "agent": "g", "case": "6.4.1", "flaky": true},
  {"role": "server", "agent": "g", "case": "1.1.1", "behavior": "FAILED", "behaviorClose": "OK"},
  {"role": "client", "agent": "g", "case": "2.1", "behavior": "FAILED", "behaviorClose": "OK"},
  {"role": "server", "agent": "g", "case": "H.2.8", "behavior": "FAILED", "behaviorClose": "OK", "reason": "switches on HTTP/1.0"}
 ]
}
`

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func code(c int) *int { return &c }

// TestJudgeBaseline checks every outcome of a baseline: match, regression,
// improvement (stale), flaky, and a case missing from it.
func TestJudgeBaseline(t *testing.T) {
	path := writeFile(t, "b.json", baselineText)
	for _, strict := range []bool{false, true} {
		opts := []Option{Baseline(path)}
		if strict {
			opts = append(opts, Strict())
		}
		cfg, err := NewConfig(opts...)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name    string
			res     report.Result
			outcome Outcome
			mark    Mark
			reason  []string
		}{
			{"match", report.Result{ID: "6.3.1", Behavior: "FAILED", BehaviorClose: "OK"}, Passed, ExpectedFailure,
				[]string{"failed as expected", "no UTF-8 check"}},
			{"match with close code", report.Result{ID: "6.3.2", Behavior: "FAILED", BehaviorClose: "OK", RemoteCloseCode: code(1000)}, Passed, ExpectedFailure, nil},
			{"other close code", report.Result{ID: "6.3.2", Behavior: "FAILED", BehaviorClose: "OK", RemoteCloseCode: code(1002)}, Failed, Regression,
				[]string{"remote close code 1000", "remote close code 1002"}},
			{"changed failure", report.Result{ID: "6.3.1", Behavior: "FAILED", BehaviorClose: "UNCLEAN"}, Failed, Regression,
				[]string{"records behavior FAILED, behaviorClose OK", "observed behavior FAILED, behaviorClose UNCLEAN"}},
			{"improvement", report.Result{ID: "1.1.1", Behavior: "OK", BehaviorClose: "OK"}, Failed, StaleBaseline,
				[]string{"stale baseline", UpdateEnv + "=1", "--write-baseline " + path}},
			{"flaky failing", report.Result{ID: "6.4.1", Behavior: "FAILED", BehaviorClose: "OK"}, Passed, Flaky, []string{"flaky"}},
			{"flaky passing", report.Result{ID: "6.4.1", Behavior: "OK", BehaviorClose: "OK"}, Passed, Flaky, []string{"flaky"}},
			{"missing, passing", report.Result{ID: "1.1.2", Behavior: "OK", BehaviorClose: "OK"}, Passed, NoMark, nil},
			{"missing, failing", report.Result{ID: "1.1.2", Behavior: "FAILED", BehaviorClose: "OK"}, Failed, NoMark, []string{"policy"}},
			{"other role", report.Result{ID: "6.3.1", IsServer: true, Behavior: "FAILED", BehaviorClose: "OK"}, Failed, NoMark, []string{"policy"}},
			{"client role", report.Result{ID: "2.1", IsServer: true, Behavior: "FAILED", BehaviorClose: "OK"}, Passed, ExpectedFailure, nil},
			{"other agent", report.Result{Agent: "h", ID: "6.3.1", Behavior: "FAILED", BehaviorClose: "OK"}, Failed, NoMark, nil},
			{"our own case", report.Result{ID: "H.2.8", Behavior: "FAILED", BehaviorClose: "OK"}, Passed, ExpectedFailure, []string{"switches on HTTP/1.0"}},
			{"our own case, improved", report.Result{ID: "H.2.8", Behavior: "OK", BehaviorClose: "OK"}, Failed, StaleBaseline, []string{"stale baseline"}},
		} {
			res := tc.res
			if res.Agent == "" {
				res.Agent = "g"
			}
			j := cfg.Judge(&res)
			if j.Outcome != tc.outcome || j.Mark != tc.mark {
				t.Errorf("strict=%v %s: %v %q (%s), want %v %q", strict, tc.name, j.Outcome, j.Mark, j.Reason, tc.outcome, tc.mark)
			}
			for _, s := range tc.reason {
				if !strings.Contains(j.Reason, s) {
					t.Errorf("strict=%v %s: reason %q lacks %q", strict, tc.name, j.Reason, s)
				}
			}
		}
	}
	// NON-STRICT passes under the default policy, so a recorded NON-STRICT
	// is stale there, and matches under the strict one.
	nsPath := writeFile(t, "ns.json", `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "g", "case": "6.4.3", "behavior": "NON-STRICT", "behaviorClose": "OK"}]}`)
	res := &report.Result{Agent: "g", ID: "6.4.3", Behavior: "NON-STRICT", BehaviorClose: "OK"}
	for _, tc := range []struct {
		opts []Option
		want Outcome
		mark Mark
	}{{[]Option{Baseline(nsPath)}, Passed, NoMark}, {[]Option{Baseline(nsPath), Strict()}, Passed, ExpectedFailure}} {
		cfg, err := NewConfig(tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if j := cfg.Judge(res); j.Outcome != tc.want || j.Mark != tc.mark {
			t.Errorf("NON-STRICT recorded and observed, strict=%v: %v %v (%s)", cfg.Policy() == StrictPolicy, j.Outcome, j.Mark, j.Reason)
		}
	}
}

// TestBaselineRefused checks that a bad baseline is refused with the field
// named, and a missing one with the way to write it.
func TestBaselineRefused(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"bad verdict", `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "g", "case": "6.3.1", "behavior": "FAIL", "behaviorClose": "OK"}]}`, `cases[0] case 6.3.1 field "behavior": unknown verdict "FAIL"`},
		{"no close verdict", `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "g", "case": "6.3.1", "behavior": "FAILED"}]}`, `field "behaviorClose": missing`},
		{"bad role", `{"autobahnBaseline": 1, "cases": [{"role": "browser", "agent": "g", "case": "6.3.1", "behavior": "FAILED", "behaviorClose": "OK"}]}`, `cases[0] field "role"`},
		{"unknown case", `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "g", "case": "99.1", "behavior": "FAILED", "behaviorClose": "OK"}]}`, `field "case": unknown case "99.1"`},
		{"unknown field", `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "g", "case": "6.3.1", "behaviour": "FAILED"}]}`, `cases[0]: json: unknown field "behaviour"`},
		{"version", `{"autobahnBaseline": 2, "cases": []}`, `field "autobahnBaseline"`},
		{"bad index", `{"g": {"1.1.1": {"behavior": "OK", "behaviorClose": "SHUT"}}}`, `agent "g" case 1.1.1 field "behaviorClose": unknown verdict "SHUT"`},
		{"not json", `[1, 2]`, "not a JSON object"},
	} {
		_, err := NewConfig(Baseline(writeFile(t, "b.json", tc.text)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	_, err := NewConfig(Baseline(filepath.Join(t.TempDir(), "none.json")))
	if err == nil || !strings.Contains(err.Error(), UpdateEnv+"=1") {
		t.Errorf("missing file: %v", err)
	}
	t.Setenv(UpdateEnv, "yes please")
	if _, err := NewConfig(Baseline(writeFile(t, "b.json", baselineText))); err == nil || !strings.Contains(err.Error(), UpdateEnv) {
		t.Errorf("bad %s: %v", UpdateEnv, err)
	}
}

// TestIndexBaseline checks that the real fuzzer's index.json of a run
// against gorilla's server (testdata/gorilla-index.json, from
// /work/shared/oracle/fuzzingclient-gorilla) is a baseline as it is: every
// case matches its recorded verdicts, and a changed verdict fails.
func TestIndexBaseline(t *testing.T) {
	const path = "testdata/gorilla-index.json"
	cfg, err := NewConfig(Baseline(path))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var idx report.Index
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	var tally Tally
	for agent, byCase := range idx {
		for id, e := range byCase {
			res := &report.Result{Agent: agent, ID: id, Behavior: e.Behavior, BehaviorClose: e.BehaviorClose, RemoteCloseCode: e.RemoteCloseCode}
			j := cfg.Judge(res)
			if j.Outcome == Failed {
				t.Errorf("case %s as recorded: %s", id, j.Reason)
			}
			tally.Add(res, j)
			res.Behavior, res.BehaviorClose = "NO_CLOSE", "UNCLEAN"
			if j := cfg.Judge(res); j.Outcome != Failed {
				t.Errorf("case %s changed to NO_CLOSE: %v", id, j.Outcome)
			}
		}
	}
	if tally.Cases != len(idx["gorilla"]) || tally.FailedAsExpected == 0 || tally.Failed != 0 {
		t.Errorf("tally %s", tally)
	}
	t.Log(tally)
}

// TestWriteBaselines checks the update: failures recorded with their old
// reason, passes dropped, flaky entries and unobserved cases kept, and the
// file read back the same.
func TestWriteBaselines(t *testing.T) {
	path := writeFile(t, "b.json", baselineText)
	obs := []Observation{
		{Path: path, Role: "server", Agent: "g", Case: "6.3.1", Behavior: "FAILED", BehaviorClose: "UNCLEAN"},
		{Path: path, Role: "server", Agent: "g", Case: "1.1.1", Behavior: "OK", BehaviorClose: "OK", Passes: true},
		{Path: path, Role: "server", Agent: "g", Case: "6.4.1", Behavior: "OK", BehaviorClose: "OK", Passes: true},
		{Path: path, Role: "server", Agent: "g", Case: "7.1.1", Behavior: "NON-STRICT", BehaviorClose: "OK"},
	}
	if err := WriteBaselines(obs); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
 "autobahnBaseline": 1,
 "cases": [
  {"role":"client","agent":"g","case":"2.1","behavior":"FAILED","behaviorClose":"OK"},
  {"role":"server","agent":"g","case":"6.3.1","behavior":"FAILED","behaviorClose":"UNCLEAN","reason":"no UTF-8 check"},
  {"role":"server","agent":"g","case":"6.3.2","behavior":"FAILED","behaviorClose":"OK","remoteCloseCode":1000},
  {"role":"server","agent":"g","case":"6.4.1","flaky":true},
  {"role":"server","agent":"g","case":"7.1.1","behavior":"NON-STRICT","behaviorClose":"OK"},
  {"role":"server","agent":"g","case":"H.2.8","behavior":"FAILED","behaviorClose":"OK","reason":"switches on HTTP/1.0"}
 ]
}
`
	if string(b) != want {
		t.Errorf("updated baseline:\n%s\nwant:\n%s", b, want)
	}
	if _, err := NewConfig(Baseline(path)); err != nil {
		t.Errorf("written baseline refused: %v", err)
	}
	// a new file, in a new directory
	fresh := filepath.Join(t.TempDir(), "sub", "new.json")
	obs[0].Path = fresh
	if err := WriteBaselines(obs[:1]); err != nil {
		t.Fatal(err)
	}
	if _, err := NewConfig(Baseline(fresh)); err != nil {
		t.Errorf("new baseline refused: %v", err)
	}
}

// TestUpdateMode checks that with UpdateEnv set failures pass as recorded
// and a missing file is no error.
func TestUpdateMode(t *testing.T) {
	t.Setenv(UpdateEnv, "1")
	path := filepath.Join(t.TempDir(), "none.json")
	cfg, err := NewConfig(Baseline(path))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.UpdatingBaseline() {
		t.Error("not updating")
	}
	res := &report.Result{Agent: "g", ID: "6.3.1", Behavior: "FAILED", BehaviorClose: "OK"}
	if j := cfg.Judge(res); j.Outcome != Passed || j.Mark != Recorded {
		t.Errorf("failure while updating: %v %v", j.Outcome, j.Mark)
	}
	if o := cfg.Observe(res); o.Passes || o.Role != RoleServer || o.Path != path {
		t.Errorf("observation %+v", o)
	}
}

// TestTallyString checks the summary line.
func TestTallyString(t *testing.T) {
	var tl Tally
	add := func(n int, b report.Verdict, j Judgement) {
		for range n {
			tl.Add(&report.Result{Behavior: b}, j)
		}
	}
	add(510, "OK", Judgement{Outcome: Passed})
	add(4, "FAILED", Judgement{Outcome: Passed, Mark: ExpectedFailure})
	add(3, "INFORMATIONAL", Judgement{Outcome: Passed})
	if got, want := tl.String(), "517 cases: 510 passed, 0 failed, 4 failed as expected, 3 informational"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	add(1, "OK", Judgement{Outcome: Failed, Mark: StaleBaseline})
	add(1, "FAILED", Judgement{Outcome: Passed, Mark: Flaky})
	if got, want := tl.String(), "519 cases: 511 passed, 1 failed, 4 failed as expected, 3 informational, 1 of the failed stale in the baseline, 1 flaky"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// TestTallyStringOneCase checks the summary line of a run of one case.
func TestTallyStringOneCase(t *testing.T) {
	var tl Tally
	tl.Add(&report.Result{Behavior: report.OK}, Judgement{Outcome: Passed})
	if got, want := tl.String(), "1 case: 1 passed, 0 failed, 0 failed as expected, 0 informational"; got != want {
		t.Errorf("Tally.String() = %q, want %q", got, want)
	}
}

// TestWriteBaselineOption checks that WriteBaseline records without a file
// and that a run takes one baseline only.
func TestWriteBaselineOption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.json")
	cfg, err := NewConfig(WriteBaseline(path))
	if err != nil {
		t.Fatal(err)
	}
	res := &report.Result{Agent: "g", ID: "6.3.1", Behavior: "FAILED", BehaviorClose: "OK"}
	if j := cfg.Judge(res); !cfg.UpdatingBaseline() || j.Outcome != Passed || j.Mark != Recorded {
		t.Errorf("WriteBaseline: updating %v, %v %v", cfg.UpdatingBaseline(), j.Outcome, j.Mark)
	}
	for _, opts := range [][]Option{{WriteBaseline(path), Baseline(path)}, {Baseline(writeFile(t, "b.json", baselineText)), WriteBaseline(path)}, {Baseline("")}} {
		if _, err := NewConfig(opts...); err == nil {
			t.Errorf("%d options: no error", len(opts))
		}
	}
}
