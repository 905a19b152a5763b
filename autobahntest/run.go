package autobahntest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

// Client runs the selected cases against the WebSocket client client, with
// the fuzzer as the server, each as a subtest of t named by its case id.
// agent names the client in messages and reports.
func Client(t *testing.T, agent string, client ClientFunc, opts ...Option) {
	t.Helper()
	r, err := harness.Client(agent, client, opts...)
	run(t, r, err)
}

// Server runs the selected cases against the WebSocket server target, with
// the fuzzer as the client, each as a subtest of t named by its case id.
// agent names the server in messages and reports.
func Server(t *testing.T, agent string, target Target, opts ...Option) {
	t.Helper()
	r, err := harness.Server(agent, target, opts...)
	run(t, r, err)
}

// shortSkipped are the sections -short leaves out: they take long.
var shortSkipped = []string{"9.", "12.", "13."}

// running holds the tests that Client or Server is running cases under.
var running sync.Map

// run adds a subtest per selected case of r (made with err) to t; the
// subtests share r.
func run(t *testing.T, r *harness.Runner, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(strings.ReplaceAll(err.Error(), "harness: ", "autobahntest: "))
	}
	if len(r.IDs()) == 0 {
		t.Fatal("autobahntest: the Cases and Exclude options select no case")
	}
	if _, dup := running.LoadOrStore(t, true); dup {
		t.Fatalf("autobahntest: %s already runs the cases of another Client or Server; give each its own test function", t.Name())
	}
	t.Cleanup(func() { running.Delete(t) })
	var results *collector
	if dir := r.Config().ReportDir(); dir != "" {
		if results, err = claim(dir, r.Agent()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := results.write(); err != nil {
				t.Error(err)
			}
		})
	}
	base := newBaselineRun(t, r.Config())
	for _, id := range r.IDs() {
		c, _ := cases.ByID(id)
		t.Run(id, func(t *testing.T) {
			if r.Config().Parallel() > 1 {
				t.Parallel()
			}
			if testing.Short() && slices.ContainsFunc(shortSkipped, func(p string) bool { return strings.HasPrefix(id, p) }) {
				t.Skipf("case %s: sections 9.x, 12.x and 13.x are skipped under -short", id)
			}
			runCase(t, r, c, results, base)
		})
	}
}

// runCase plays case c and judges it.
func runCase(t *testing.T, r *harness.Runner, c *cases.Case, results *collector, base *baselineRun) {
	ctx, cancel := context.WithTimeout(t.Context(), r.Limit(c))
	defer cancel()
	res, chopping, err := r.Play(ctx, c.ID, harness.Seed{})
	if err != nil {
		t.Fatal(err)
	}
	j := r.Config().Judge(res)
	res.Baseline, res.Policy = j.Mark.String(), r.Config().Policy()
	results.add(res)
	base.add(res, j)
	switch j.Outcome {
	case harness.Skipped:
		t.Skip(j.Reason)
	case harness.Failed:
		t.Errorf("%s\n\ncase %s for %s %q, chopping: %s\n%s\n\nre-run this case alone: %s",
			report.Failure(res, r.Config().Policy(), j.Reason), c.ID, r.Role(), r.Agent(), chopping, report.Summary(res), rerun(t.Name()))
		if testing.Verbose() {
			t.Logf("the whole wire log:\n%s", report.WireLog(res.Wirelog))
		}
	default:
		t.Logf("behavior %s, behaviorClose %s; chopping: %s", res.Behavior, res.BehaviorClose, chopping)
		for _, n := range res.Notes {
			t.Log(n)
		}
		if j.Reason != "" {
			t.Log(j.Reason)
		}
	}
}

// rerun is the go test command that runs the test named name alone: each
// element of the name anchored and quoted, in single quotes for a shell.
func rerun(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	pattern := strings.ReplaceAll(strings.Join(parts, "/"), "'", `'\''`)
	return fmt.Sprintf("go test -run '%s'", pattern)
}
