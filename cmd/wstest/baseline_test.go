package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

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
	return stdout.String(), exitCode(err, io.Discard)
}

// TestBaselineWorkedExample is docs/baselines.md's worked example: gorilla's
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
	changed := writeSpec(t, `{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "gorilla", "case": "6.3.1", "behavior": "FAILED", "behaviorClose": "UNCLEAN"}]}`)
	for _, tc := range []struct {
		name  string
		cases string
		flags []string
		code  int
		want  string
	}{
		{"passes", `"1.1.1"`, nil, 0, "1 case: 1 passed, 0 failed, 0 failed as expected, 0 informational"},
		{"fails", `"1.1.1", "6.3.1"`, nil, 1, "2 cases: 1 passed, 1 failed, 0 failed as expected, 0 informational"},
		{"fails strict", `"6.3.1"`, []string{"--strict"}, 1, "strict policy"},
		{"missing from the baseline", `"6.3.1"`, []string{"--baseline", other}, 1, "do not pass under the default policy"},
		{"regression", `"6.3.1"`, []string{"--baseline", changed}, 1, "regression: baseline " + changed + " records behavior FAILED, behaviorClose UNCLEAN, observed behavior FAILED, behaviorClose FAILED"},
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

// fuzzingServerRun serves case 6.3.1 to gorilla's client through the
// driver protocol, as TestFuzzingServerDriverProtocol does, and returns the
// run's output and error.
func fuzzingServerRun(t *testing.T, flags ...string) (string, error) {
	t.Helper()
	spec := writeSpec(t, `{"url": "ws://127.0.0.1:9001", "outdir": "`+t.TempDir()+`", "cases": ["6.3.1"]}`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout lockedBuffer
	done := make(chan error, 1)
	go func() {
		args := append([]string{"-m", "fuzzingserver", "-s", spec, "--listen", "127.0.0.1:0"}, flags...)
		done <- run(ctx, args, &stdout, io.Discard)
	}()
	// the port is the one the server reports
	listening := regexp.MustCompile(`listening on (ws://127\.0\.0\.1:\d+)`)
	var base string
	for i := 0; base == ""; i++ {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		} else if i == 500 {
			t.Fatalf("the fuzzing server does not listen:\n%s", stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := echopeer.GorillaClient(ctx, base+"/runCase?case=1&agent=gorilla"); err != nil {
		t.Fatal(err)
	}
	c, _, err := websocket.DefaultDialer.Dial(base+"/updateReports?agent=gorilla&shutdownOnComplete=true", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.ReadMessage()
	c.Close()
	select {
	case err = <-done:
	case <-ctx.Done():
		t.Fatal("the fuzzing server did not shut down")
	}
	return stdout.String(), err
}

// lockedBuffer is a buffer safe for the writes of the fuzzing server's
// connections and of the command at once, as os.Stdout is.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestFuzzingServerExitStatus: in fuzzingserver mode too, a failed case
// (gorilla's client echoes 6.3.1's invalid UTF-8, FAILED as with the real
// fuzzer) ends the run with status 1, and a baseline that records it
// with 0.
func TestFuzzingServerExitStatus(t *testing.T) {
	oracle, err := oracleverdicts.Of("fuzzingserver-gorilla")
	if err != nil {
		t.Fatal(err)
	}
	out, err := fuzzingServerRun(t)
	if exitCode(err, io.Discard) != 1 || !strings.Contains(out, "1 case: 0 passed, 1 failed") {
		t.Errorf("no baseline: exit %d (%v)\n%s", exitCode(err, io.Discard), err, out)
	}
	v := oracle["6.3.1"]
	b := writeSpec(t, `{"autobahnBaseline": 1, "cases": [{"role": "client", "agent": "gorilla", "case": "6.3.1", "behavior": "`+v[0]+`", "behaviorClose": "`+v[1]+`"}]}`)
	out, err = fuzzingServerRun(t, "--baseline", b)
	if exitCode(err, io.Discard) != 0 || !strings.Contains(out, "1 case: 0 passed, 0 failed, 1 failed as expected") {
		t.Errorf("baseline of the oracle's verdicts: exit %d (%v)\n%s", exitCode(err, io.Discard), err, out)
	}
}

// TestCommandExitStatus runs the built command: its process exits 0, 1
// and 2.
func TestCommandExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "wstest")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	url := serve(t, echopeer.GorillaServer)
	for _, tc := range []struct {
		cases string
		flags []string
		code  int
	}{{`"1.1.1"`, nil, 0}, {`"6.3.1"`, nil, 1}, {`"1.1.1"`, []string{"--strict=maybe"}, 2}} {
		spec := writeSpec(t, `{"outdir": "`+t.TempDir()+`", "servers": [{"agent": "gorilla", "url": "`+url+`"}], "cases": [`+tc.cases+`]}`)
		out, err := exec.Command(bin, append([]string{"-m", "fuzzingclient", "-s", spec}, tc.flags...)...).CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code {
			t.Errorf("cases %s %v: exit %d, want %d\n%s", tc.cases, tc.flags, code, tc.code, out)
		}
	}
}
