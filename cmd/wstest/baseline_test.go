package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/oracleverdicts"
)

// serve runs handler and returns its ws:// URL.
func serve(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	url, stop, err := echopeer.Serve(handler)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return strings.TrimSuffix(url, "/")
}

// wstest runs the command against url with cases and extra flags, and
// returns its output and exit status.
func wstest(t *testing.T, url string, cases string, out string, flags ...string) (string, int) {
	t.Helper()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "gorilla", "url": "`+url+`"}], "cases": [`+cases+`]}`)
	var stdout bytes.Buffer
	err := run(context.Background(), append([]string{"-m", "fuzzingclient", "-s", spec}, flags...), &stdout, io.Discard)
	return stdout.String(), exitStatus(err)
}

// TestBaselineWorkedExample is the README's worked example: gorilla's
// server without a UTF-8 check fails 6.3.1 and 6.3.2 as the real fuzzer
// found; the baseline written once records just those; a run against it
// passes with them failed as expected; a regression (text echoed as
// binary) fails with exit status 1; the fix (a UTF-8 check) fails as a
// stale baseline, with the command to update it.
func TestBaselineWorkedExample(t *testing.T) {
	oracle, err := oracleverdicts.Of("fuzzingclient-gorilla")
	if err != nil {
		t.Fatal(err)
	}
	const cases = `"6.2.1", "6.3.1", "6.3.2"`
	b := filepath.Join(t.TempDir(), "autobahn-baseline.json")
	plain := serve(t, echopeer.GorillaServer)

	out, code := wstest(t, plain, cases, t.TempDir(), "--write-baseline", b)
	if code != 0 || !strings.Contains(out, "3 cases: 1 passed, 0 failed, 2 failed as expected, 0 informational") {
		t.Fatalf("writing the baseline: exit %d\n%s", code, out)
	}
	text, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s:\n%s", b, text)
	for _, id := range []string{"6.3.1", "6.3.2"} {
		v := oracle[id]
		line := `{"role":"server","agent":"gorilla","case":"` + id + `","behavior":"` + v[0] + `","behaviorClose":"` + v[1] + `"}`
		if !bytes.Contains(text, []byte(line)) {
			t.Errorf("the baseline lacks %s", line)
		}
	}
	if bytes.Contains(text, []byte(`"6.2.1"`)) {
		t.Error("the baseline lists 6.2.1, which passes")
	}

	reports := t.TempDir()
	out, code = wstest(t, plain, cases, reports, "--baseline", b)
	if code != 0 || !strings.Contains(out, "3 cases: 1 passed, 0 failed, 2 failed as expected, 0 informational") {
		t.Errorf("the same server against its baseline: exit %d\n%s", code, out)
	}
	index, err := os.ReadFile(filepath.Join(reports, "index.html"))
	if err != nil || !bytes.Contains(index, []byte(`<span class="mark">expected failure</span>`)) {
		t.Errorf("index.html has no expected failure mark (%v)", err)
	}
	if idx, err := os.ReadFile(filepath.Join(reports, "index.json")); err != nil || bytes.Contains(idx, []byte("expected failure")) {
		t.Errorf("index.json carries the mark, or is missing (%v)", err)
	}

	out, code = wstest(t, serve(t, echopeer.GorillaServerAsBinary), cases, t.TempDir(), "--baseline", b)
	if code != 1 || !strings.Contains(out, "failed gorilla: case 6.2.1: behavior FAILED") || !strings.Contains(out, "3 cases: 0 passed, ") {
		t.Errorf("the regression: exit %d\n%s", code, out)
	}

	out, code = wstest(t, serve(t, echopeer.GorillaServerUTF8), cases, t.TempDir(), "--baseline", b)
	if code != 1 || !strings.Contains(out, "case 6.3.1: stale baseline") || !strings.Contains(out, "--write-baseline "+b) ||
		!strings.Contains(out, "3 cases: 1 passed, 2 failed, 0 failed as expected, 0 informational, 2 of the failed stale in the baseline") {
		t.Errorf("the fix: exit %d\n%s", code, out)
	}
	// updating the baseline from the fixed server empties it
	if _, code := wstest(t, serve(t, echopeer.GorillaServerUTF8), cases, t.TempDir(), "--write-baseline", b); code != 0 {
		t.Errorf("updating: exit %d", code)
	}
	if out, code := wstest(t, serve(t, echopeer.GorillaServerUTF8), cases, t.TempDir(), "--baseline", b); code != 0 {
		t.Errorf("the fix against the updated baseline: exit %d\n%s", code, out)
	}
}

// TestBaselineFlakyAndIndex: a flaky entry passes either way and is
// reported; an Autobahn index.json of the real fuzzer's run against
// gorilla is a baseline as it is.
func TestBaselineFlakyAndIndex(t *testing.T) {
	url := serve(t, echopeer.GorillaServer)
	flaky := writeSpec(t, `{"autobahnBaseline": 1, "cases": [
	  {"role": "server", "agent": "gorilla", "case": "6.3.1", "flaky": true, "reason": "sometimes"}]}`)
	out, code := wstest(t, url, `"6.3.1"`, t.TempDir(), "--baseline", flaky)
	if code != 0 || !strings.Contains(out, "case 6.3.1 is flaky") || !strings.Contains(out, "1 flaky") {
		t.Errorf("flaky: exit %d\n%s", code, out)
	}
	out, code = wstest(t, url, `"1.1.1", "6.3.1", "6.3.2", "7.5.1"`, t.TempDir(), "--baseline", "../../harness/testdata/gorilla-index.json")
	if code != 0 || !strings.Contains(out, "4 cases: 2 passed, 0 failed, 2 failed as expected, 0 informational") {
		t.Errorf("index.json baseline: exit %d\n%s", code, out)
	}
}

// TestExitStatus: 0 when every case passes, 1 when one fails (a missing
// case falls back to the policy), 2 for usage and configuration errors and
// runs cut short.
func TestExitStatus(t *testing.T) {
	url := serve(t, echopeer.GorillaServer)
	bad := writeSpec(t, `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "gorilla", "case": "6.3.1", "behavior": "FAILED", "behaviorClose": "SHUT"}]}`)
	other := writeSpec(t, `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "gorilla", "case": "6.3.2", "behavior": "FAILED", "behaviorClose": "FAILED"}]}`)
	for _, tc := range []struct {
		name  string
		cases string
		flags []string
		code  int
		want  string
	}{
		{"passes", `"1.1.1"`, nil, 0, "1 cases: 1 passed, 0 failed, 0 failed as expected, 0 informational"},
		{"fails", `"1.1.1", "6.3.1"`, nil, 1, "2 cases: 1 passed, 1 failed, 0 failed as expected, 0 informational"},
		{"fails strict", `"6.3.1"`, []string{"--strict"}, 1, "strict policy"},
		{"missing from the baseline", `"6.3.1"`, []string{"--baseline", other}, 1, "do not pass under the default policy"},
		{"bad flag", `"1.1.1"`, []string{"--no-such-flag"}, 2, ""},
		{"malformed baseline", `"1.1.1"`, []string{"--baseline", bad}, 2, ""},
		{"two baselines", `"1.1.1"`, []string{"--baseline", other, "--write-baseline", bad}, 2, ""},
		{"cut short", `"9.*"`, []string{"--max-duration", "300ms"}, 2, ""},
	} {
		out, code := wstest(t, url, tc.cases, t.TempDir(), tc.flags...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d, want %d and %q:\n%s", tc.name, code, tc.code, tc.want, out)
		}
	}
	spec := writeSpec(t, `{"outdir": "`+t.TempDir()+`", "servers": [{"agent": "gorilla", "url": "`+url+`"}], "cases": ["1.1.1"]}`)
	err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec, "--baseline", bad}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `field "behaviorClose": unknown verdict "SHUT"`) {
		t.Errorf("malformed baseline: %v", err)
	}
}
