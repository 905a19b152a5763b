package autobahntest_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/autobahntest"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/oracleverdicts"
)

// TestBaseline: with AUTOBAHN_UPDATE_BASELINE=1 the run of gorilla's server
// (no UTF-8 check) passes and records 6.3.1 and 6.3.2 with the real
// fuzzer's verdicts; the same server then passes against the file, and
// against a flaky entry.
func TestBaseline(t *testing.T) {
	oracle, err := oracleverdicts.Of("fuzzingclient-gorilla")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "autobahn.json")
	server := autobahntest.Handler(http.HandlerFunc(echopeer.GorillaServer))
	selection := autobahntest.Cases("6.2.1", "6.3.1", "6.3.2")
	t.Run("update", func(t *testing.T) {
		t.Setenv(autobahntest.UpdateEnv, "1")
		autobahntest.Server(t, "gorilla", server, selection, autobahntest.Baseline(path))
	})
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
	t.Run("match", func(t *testing.T) {
		t.Setenv(autobahntest.UpdateEnv, "")
		autobahntest.Server(t, "gorilla", server, selection, autobahntest.Baseline(path))
	})
	flaky := filepath.Join(t.TempDir(), "flaky.json")
	if err := os.WriteFile(flaky, []byte(`{"autobahnBaseline": 1, "cases": [
	  {"role": "server", "agent": "gorilla", "case": "6.3.1", "flaky": true},
	  {"role": "server", "agent": "gorilla", "case": "6.3.2", "flaky": true}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("flaky", func(t *testing.T) {
		t.Setenv(autobahntest.UpdateEnv, "")
		autobahntest.Server(t, "gorilla", server, selection, autobahntest.Baseline(flaky))
	})
}

// TestBaselineFailures runs testdata/peers with go test: gorilla's server
// (no UTF-8 check) against a baseline that records 6.2.1 as failing and
// 6.3.1 otherwise than it fails: 6.2.1 fails as a stale baseline, 6.3.1 as
// a regression, 6.3.2 (not listed) under the policy; a malformed file fails
// the test with the field named.
func TestBaselineFailures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "autobahn.json")
	if err := os.WriteFile(path, []byte(`{"autobahnBaseline": 1, "cases": [
	  {"role": "server", "agent": "gorilla", "case": "6.2.1", "behavior": "FAILED", "behaviorClose": "OK"},
	  {"role": "server", "agent": "gorilla", "case": "6.3.1", "behavior": "FAILED", "behaviorClose": "UNCLEAN"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests, _, passed := goTest(t, []string{"AUTOBAHNTEST_CASES=6.2.1,6.3.1,6.3.2", "AUTOBAHNTEST_BASELINE=" + path}, "-run", "^TestServer$")
	if passed {
		t.Error("go test passed")
	}
	for id, want := range map[string]string{"6.2.1": "stale baseline", "6.3.1": "regression: baseline", "6.3.2": "do not pass under the default policy"} {
		o := tests["TestServer/"+id]
		if o == nil || o.action != "fail" || !strings.Contains(o.output, want) {
			t.Errorf("%s: %+v, want a failure saying %q", id, o, want)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "gorilla", "case": "6.3.1"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests, _, _ = goTest(t, []string{"AUTOBAHNTEST_CASES=6.3.1", "AUTOBAHNTEST_BASELINE=" + bad}, "-run", "^TestServer$")
	if o := tests["TestServer"]; o == nil || o.action != "fail" || !strings.Contains(o.output, `field "behavior": missing`) {
		t.Errorf("a malformed baseline: %+v", o)
	}
}
