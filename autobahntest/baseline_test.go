package autobahntest_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/wsfuzz/autobahn/autobahntest"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/oracleverdicts"
)

// TestBaseline: with AUTOBAHN_UPDATE_BASELINE=1 the run of gorilla's server
// (no UTF-8 check) passes and records 6.3.1 and 6.3.2 with the real
// fuzzer's verdicts; the same server then passes against the file, and
// against a flaky entry. The failing outcomes (regression, stale baseline)
// are Judge's, which harness's and suite's tests cover.
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
