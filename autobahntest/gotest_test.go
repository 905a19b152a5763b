package autobahntest_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
)

// These tests run the test program testdata/peers with go test -json, as
// users run theirs, and compare the subtests that ran with the cases the
// selection means.

// outcome is what go test -json said about one test.
type outcome struct {
	action string // pass, fail or skip
	output string
}

// goTest runs go test -json on testdata/peers with the environment env and
// the flags args. It returns every test's outcome by name, the names of the
// subtests in the order they started, and whether go test passed.
func goTest(t *testing.T, env []string, args ...string) (map[string]*outcome, []string, bool) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a test program with go test")
	}
	cmd := exec.Command("go", append([]string{"test", "-json", "-count=1"}, append(args, "./testdata/peers")...)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("go test %v: %v\n%s", args, err, stderr.Bytes())
	}
	tests := map[string]*outcome{}
	var started []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var e struct{ Action, Test, Output string }
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("go test %v: not JSON: %q (%s)", args, sc.Text(), stderr.Bytes())
		}
		if e.Test == "" {
			continue
		}
		o := tests[e.Test]
		if o == nil {
			o = &outcome{}
			tests[e.Test] = o
		}
		switch e.Action {
		case "run":
			if strings.Contains(e.Test, "/") {
				started = append(started, e.Test)
			}
		case "output":
			o.output += e.Output
		case "pass", "fail", "skip":
			o.action = e.Action
		}
	}
	return tests, started, err == nil
}

func resolve(t *testing.T, patterns ...string) []string {
	t.Helper()
	ids, err := cases.Resolve(patterns, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// subtests are the ids of the subtests of test in the order they started.
func subtests(started []string, test string) []string {
	var ids []string
	for _, name := range started {
		if id, ok := strings.CutPrefix(name, test+"/"); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

// TestRunSelection checks that the subtests are named by case id, in
// catalog order, and that -run selects exactly the cases its pattern
// matches, as go test matches it.
func TestRunSelection(t *testing.T) {
	for _, tc := range []struct {
		name     string
		patterns string   // the program's Cases
		tests    []string // the top-level tests -run names
		sub      string   // -run's pattern for the subtests
		parallel bool
		pass     bool // gorilla passes every selected case
	}{
		{"every selected case", "1.1.*,2.*,3.*", []string{"TestServer"}, "", false, true},
		{"unanchored section", "1.1.*,3.*,13.3.1", []string{"TestServer"}, `3\.`, false, true},
		{"anchored section", "1.1.*,3.*,13.3.1", []string{"TestServer"}, `^3\.`, false, true},
		{"one case", "1.*,2.*", []string{"TestClient"}, `^1\.1\.1$`, false, true},
		// gorilla leaves UTF-8 to the application: it fails 6.4.x
		{"a subsection of both roles, in parallel", "1.1.1,6.3.1,6.4.1,6.4.2", []string{"TestServer", "TestClient"}, `^6\.4\.`, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := []string{"AUTOBAHNTEST_CASES=" + tc.patterns}
			if tc.parallel {
				env = append(env, "AUTOBAHNTEST_PARALLEL=1")
			}
			run := "^(" + strings.Join(tc.tests, "|") + ")$"
			if len(tc.tests) == 2 {
				run = "" // all top-level tests; TestBroken skips itself
			}
			if tc.sub != "" {
				run += "/" + tc.sub
			}
			tests, started, ok := goTest(t, env, "-run", run)
			sub := regexp.MustCompile(tc.sub)
			var want []string
			for _, id := range resolve(t, strings.Split(tc.patterns, ",")...) {
				if sub.MatchString(id) {
					want = append(want, id)
				}
			}
			if len(want) == 0 {
				t.Fatal("the selection is empty: a bad test")
			}
			for _, test := range tc.tests {
				got := subtests(started, test)
				if tc.parallel {
					slices.SortFunc(got, cases.CompareIDs)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: subtests %q, want %q", test, got, want)
				}
				for _, id := range got {
					if tests[test+"/"+id].action == "" {
						t.Errorf("%s/%s did not end", test, id)
					}
				}
			}
			if tc.pass && !ok {
				t.Errorf("go test -run %q failed:\n%v", run, tests)
			}
		})
	}
}

// TestShort checks that -short skips exactly the cases of 9.x, 12.x and
// 13.x, saying why, and that without it they run, UNIMPLEMENTED ones being
// skipped with the fuzzer's reason.
func TestShort(t *testing.T) {
	const patterns = "1.1.1,9.1.1,9.7.1,12.1.1,13.1.1"
	ids := resolve(t, strings.Split(patterns, ",")...)
	long := func(id string) bool {
		return slices.ContainsFunc([]string{"9.", "12.", "13."}, func(p string) bool { return strings.HasPrefix(id, p) })
	}
	for _, short := range []bool{true, false} {
		args := []string{"-run", "^TestClient$"}
		if short {
			args = append(args, "-short")
		}
		// not goTest's own -short check: this test wants the program's
		tests, started, _ := goTest(t, []string{"AUTOBAHNTEST_CASES=" + patterns}, args...)
		if got := subtests(started, "TestClient"); !slices.Equal(got, ids) {
			t.Errorf("short=%v: subtests %q, want %q", short, got, ids)
		}
		for _, id := range ids {
			o := tests["TestClient/"+id]
			if o == nil {
				continue
			}
			skippedShort := o.action == "skip" && strings.Contains(o.output, "skipped under -short")
			// gorilla's default dialer offers no permessage-deflate: 12.x and
			// 13.x are UNIMPLEMENTED, which the default policy skips
			var want bool
			switch {
			case short && long(id):
				want = skippedShort
			case strings.HasPrefix(id, "12.") || strings.HasPrefix(id, "13."):
				want = o.action == "skip" && strings.Contains(o.output, "case "+id+" is UNIMPLEMENTED: ")
			default:
				want = o.action == "pass"
			}
			if !want {
				t.Errorf("short=%v: %s: %s\n%s", short, id, o.action, o.output)
			}
		}
	}
}

// TestBrokenPeer checks that a broken client's subtests fail with the
// explanation and a go test command that re-runs that case alone, and
// that the command does.
func TestBrokenPeer(t *testing.T) {
	env := []string{"AUTOBAHNTEST_BROKEN=1", "AUTOBAHNTEST_CASES=1.1.1,1.1.2"}
	tests, _, ok := goTest(t, env, "-run", "^TestBroken$")
	if ok {
		t.Fatal("go test passed the broken client")
	}
	var rerun string
	for _, id := range resolve(t, "1.1.1", "1.1.2") {
		o := tests["TestBroken/"+id]
		if o == nil || o.action != "fail" {
			t.Fatalf("TestBroken/%s: %+v", id, o)
		}
		c, _ := cases.ByID(id)
		want := []string{
			"case " + id + `: behavior FAILED, behaviorClose `, "do not pass under the default policy",
			"case " + id + ` for client "broken", chopping: each case's own chop sizes`,
			"case " + id + ": " + c.Description,
			"behavior:        FAILED - ",
			"expectation:     " + c.Expectation,
			"expected events: OK " + report.EventsString(echoes(c, "")),
			// the broken client appends "!" to every echo
			"observed events: " + report.EventsString(echoes(c, "!")),
			"expected close:  ", "close codes:     remote ", "wire log (",
			"re-run this case alone: go test -run '^TestBroken$/^" + regexp.QuoteMeta(id) + "$'",
		}
		for _, w := range want {
			if !strings.Contains(o.output, w) {
				t.Errorf("TestBroken/%s: the output lacks %q:\n%s", id, w, o.output)
			}
		}
		if id == "1.1.2" {
			rerun = o.output
		}
	}
	m := regexp.MustCompile(`re-run this case alone: go test -run '([^']+)'`).FindStringSubmatch(rerun)
	if m == nil {
		t.Fatal("no rerun line")
	}
	tests, started, _ := goTest(t, env, "-run", m[1])
	if !slices.Equal(started, []string{"TestBroken/1.1.2"}) || tests["TestBroken/1.1.2"].action != "fail" {
		t.Errorf("go test -run %s ran %q", m[1], started)
	}
}

// TestClientErrorInEveryFailure checks that the error the client function
// returned is in the message of every failing case, with many cases at once.
func TestClientErrorInEveryFailure(t *testing.T) {
	env := []string{"AUTOBAHNTEST_QUITTER=1", "AUTOBAHNTEST_PARALLEL=1", "AUTOBAHNTEST_CASES=1.*,6.1.*,6.2.*"}
	tests, _, _ := goTest(t, env, "-run", "^TestQuitter$", "-parallel", "16")
	ids := resolve(t, "1.*", "6.1.*", "6.2.*")
	for _, id := range ids {
		o := tests["TestQuitter/"+id]
		if o == nil || o.action != "fail" {
			t.Errorf("TestQuitter/%s: %+v, want a failure", id, o)
			continue
		}
		// in the failure message: after its first line, before its last
		note := strings.Index(o.output, "the client returned an error: quitter gave up on purpose")
		first, last := strings.Index(o.output, "do not pass under the"), strings.Index(o.output, "re-run this case alone")
		if note < 0 || first < 0 || note < first || note > last {
			t.Errorf("TestQuitter/%s: the failure message lacks the client's error:\n%s", id, o.output)
		}
	}
}

// TestMisuse checks that bad options and two runs under one test fail the
// test with a message that says what is wrong.
func TestMisuse(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		test string
		want string
	}{
		{[]string{"AUTOBAHNTEST_CASES=99.1"}, "TestServer", `autobahntest: case selection: `},
		{[]string{"AUTOBAHNTEST_CASES=99.*"}, "TestServer", `case pattern "99.*" matches no case`},
		{[]string{"AUTOBAHNTEST_CASES=1.1.1", "AUTOBAHNTEST_TWICE=1"}, "TestTwice", "autobahntest: TestTwice already runs the cases of another Client or Server"},
	} {
		tests, _, ok := goTest(t, tc.env, "-run", "^"+tc.test+"$")
		o := tests[tc.test]
		if ok || o == nil || o.action != "fail" || !strings.Contains(o.output, tc.want) {
			t.Errorf("%v %s: passed %v, outcome %+v; want a failure saying %q", tc.env, tc.test, ok, o, tc.want)
		}
	}
}

// echoes are the events of c's OK outcome, with suffix after every payload.
func echoes(c *cases.Case, suffix string) []report.Event {
	var out []report.Event
	for _, e := range c.Expected[0].Events {
		out = append(out, report.Event{Kind: string(e.Kind), Payload: append(slices.Clip(e.Payload), suffix...), Binary: e.Binary, Tag: e.Tag})
	}
	return out
}

// TestNoGinkgo checks that the package and its tests import neither Ginkgo
// nor Gomega, however indirectly.
func TestNoGinkgo(t *testing.T) {
	for _, args := range [][]string{{"list", "-deps", "."}, {"list", "-deps", "-test", "."}} {
		out, err := exec.Command("go", args...).Output()
		if err != nil {
			t.Fatalf("go %v: %v", args, err)
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, "github.com/wsfuzz/autobahn/harness") {
			t.Fatalf("go %v lists no harness: %q", args, deps)
		}
		for _, d := range deps {
			if strings.Contains(d, "onsi/ginkgo") || strings.Contains(d, "onsi/gomega") {
				t.Errorf("go %v: %s", args, d)
			}
		}
	}
}

// TestKnownFinding fuzzes (the seeds only) a server that cuts long pongs:
// with rule "pong" declared a known finding the target passes and its
// summary counts the inputs that broke it; with another rule declared it
// fails on "pong" and names the declared one (TestKnownFindingRules checks
// the rule names).
func TestKnownFinding(t *testing.T) {
	tests, _, ok := goTest(t, []string{"AUTOBAHNTEST_KNOWN=pong"}, "-run", "^FuzzKnown$")
	o := tests["FuzzKnown"]
	if !ok || o == nil || o.action != "pass" {
		t.Fatalf("pong known: FuzzKnown %+v, want a pass", o)
	}
	if !regexp.MustCompile(`known findings seen .*\n.*rule "pong" \(RFC 6455 5\.5\.2, 5\.5\.3\) broken by [1-9][0-9]* inputs, the first FuzzKnown/seed#[0-9]+; known: cuts pongs`).MatchString(o.output) {
		t.Errorf("pong known: no summary of the known finding:\n%s", o.output)
	}
	var logged bool
	for name, sub := range tests {
		if strings.HasPrefix(name, "FuzzKnown/") && strings.Contains(sub.output, `known finding (declared with KnownFinding, not failed): rule "pong"`) {
			logged = true
		}
	}
	if !logged {
		t.Error("pong known: no input logged the known finding")
	}

	tests, _, ok = goTest(t, []string{"AUTOBAHNTEST_KNOWN=echo"}, "-run", "^FuzzKnown$")
	if ok || tests["FuzzKnown"] == nil || tests["FuzzKnown"].action != "fail" {
		t.Fatalf("echo known: FuzzKnown %+v, want a failure", tests["FuzzKnown"])
	}
	var failed bool
	for name, sub := range tests {
		if strings.HasPrefix(name, "FuzzKnown/") && sub.action == "fail" {
			failed = true
			if !strings.Contains(sub.output, `rule "pong"`) || !strings.Contains(sub.output, `known findings declared (KnownFinding; reported, not failed):`) {
				t.Errorf("echo known: %s's message lacks the pong failure or the declared findings:\n%s", name, sub.output)
			}
		}
	}
	if !failed {
		t.Error("echo known: no input failed")
	}

}
