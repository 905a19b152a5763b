// Package suite registers the Autobahn catalog as Ginkgo specs for a
// WebSocket client or server, from a few lines of an implementer's _test.go:
//
//	var _ = suite.Client("myclient", func(ctx context.Context, url string) error {
//		return myws.EchoUntilClosed(ctx, url)
//	})
//	var _ = suite.Server("myserver", suite.Handler(myws.EchoHandler()), suite.Exclude("12.*", "13.*"))
//
// Every case becomes one spec whose text starts with the case id and ends
// with its section (see SpecText) and whose labels are the section ("3.x"),
// the case ("case:3.4"), the role under test ("client" or "server"), the
// agent ("agent:myclient"), "slow" for 9.x and "compression" for 12.x and
// 13.x:
//
//	ginkgo --label-filter=3.x
//	ginkgo --label-filter='case:3.4'
//	ginkgo --focus='^Autobahn 3\.4 '
//	ginkgo --focus='Reserved Bits'
//
// (Ginkgo matches --focus against the suite's description, a space and the
// spec text; "Autobahn" is the description given to RunSpecs.)
//
// A spec passes when the case passes under the registration's policy (see
// Strict) or, with a Baseline, gives its recorded verdicts. On failure the
// message says which part failed and why, gives the command that re-runs
// exactly that case, and shows the verdicts, expected and observed events
// and close codes; the whole wire log is attached to the spec's report
// (shown once, on the console, and kept in JSON and JUnit reports). An error
// of the run (a server that cannot be reached) fails the spec with one line.
// Every
// case runs on its own listener on 127.0.0.1 and a free port, so the specs
// are safe under ginkgo -p. Inside one process the selected specs of a
// registration play their cases concurrently (see Parallel). Registrations must be made at the top level of a
// test file (var _ = ...), not inside a container: the spec texts then start
// with the case id.
package suite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

// ClientFunc is a WebSocket client under test: it dials url, echoes every
// message it receives until the connection closes, and returns. It should
// give up when ctx is done.
type ClientFunc = harness.ClientFunc

// Roles under test, as spec labels.
const (
	RoleClient = harness.RoleClient
	RoleServer = harness.RoleServer
)

// Client registers one spec per case that tests the WebSocket client
// client, with the fuzzer as the server. agent names the client in specs
// and reports. args are Options and Ginkgo decorators.
func Client(agent string, client ClientFunc, args ...any) bool {
	opts, decorators := split(args)
	r, err := harness.Client(agent, client, opts...)
	return register(RoleClient, agent, r, decorators, err)
}

// Server registers one spec per case that tests the WebSocket server
// target, with the fuzzer as the client. agent names the server in specs
// and reports. args are Options and Ginkgo decorators.
func Server(agent string, target Target, args ...any) bool {
	opts, decorators := split(args)
	r, err := harness.Server(agent, target, opts...)
	return register(RoleServer, agent, r, decorators, err)
}

// split separates Options from Ginkgo decorators.
func split(args []any) (opts []Option, decorators []any) {
	for _, a := range args {
		if o, ok := a.(Option); ok {
			opts = append(opts, o)
		} else {
			decorators = append(decorators, a)
		}
	}
	return opts, decorators
}

// register adds the specs of r to the Ginkgo tree, or one failing spec that
// explains a bad configuration err.
func register(role, agent string, r *harness.Runner, decorators []any, err error) bool {
	if err != nil {
		return registerError(role, agent, err)
	}
	if dir := r.Config().ReportDir(); dir != "" {
		if err := claimReportDir(dir, agent); err != nil {
			return registerError(role, agent, err)
		}
	}
	if path := r.Config().BaselinePath(); path != "" {
		claimBaseline(path)
	}
	b := newBatch(r, decoratorLabels(decorators))
	wait := slotWait(r)
	for _, id := range r.IDs() {
		c, _ := cases.ByID(id)
		args := append([]any{Labels(role, agent, id), ginkgo.SpecTimeout(r.Limit(c) + wait)}, decorators...)
		args = append(args, func(ctx ginkgo.SpecContext) { runSpec(ctx, b, c) })
		ginkgo.It(SpecText(c), args...)
	}
	return true
}

// decoratorLabels are the labels among a registration's decorators.
func decoratorLabels(decorators []any) []string {
	var out []string
	for _, d := range decorators {
		if l, ok := d.(ginkgo.Labels); ok {
			out = append(out, l...)
		}
	}
	return out
}

// slotWait is the longest a spec may wait for its case to get a slot
// among the cases played at once: the longest case of r, as a waiting
// spec's case is the next to start. Zero when r plays one case at a time.
func slotWait(r *harness.Runner) time.Duration {
	var most time.Duration
	if r.Config().Parallel() > 1 {
		for _, id := range r.IDs() {
			c, _ := cases.ByID(id)
			most = max(most, r.Limit(c))
		}
	}
	return most
}

// registerError registers a spec that fails with err. It carries the role
// and every section label, so that label filters do not hide it.
func registerError(role, agent string, err error) bool {
	labels := ginkgo.Label(role)
	seen := map[string]bool{}
	for _, c := range cases.All() {
		if s := sectionLabel(c.ID); !seen[s] {
			seen[s] = true
			labels = append(labels, s)
		}
	}
	err = fmt.Errorf("%s", strings.ReplaceAll(err.Error(), "harness: ", "suite: "))
	ginkgo.It(fmt.Sprintf("autobahn %s suite for %q is configured", role, agent), labels, func() {
		ginkgo.Fail(err.Error())
	})
	return true
}

// seed is the run's seed for RandomChop(max, 0): Ginkgo's.
func seed() harness.Seed {
	s := ginkgo.GinkgoRandomSeed()
	return harness.Seed{Value: s, Source: fmt.Sprintf("ginkgo --seed=%d", s)}
}

// play runs case id of r.
func play(ctx context.Context, r *harness.Runner, id string) (*report.Result, string, error) {
	return r.Play(ctx, id, seed())
}

// runSpec is the body of a case's spec.
func runSpec(ctx ginkgo.SpecContext, b *batch, c *cases.Case) {
	r := b.r
	res, chopping, err := b.result(ctx, c.ID)
	if err != nil {
		ginkgo.Fail(oneLine(err))
	}
	cfg := r.Config()
	j := cfg.Judge(res)
	res.Baseline, res.Policy = j.Mark.String(), cfg.Policy()
	ginkgo.AddReportEntry(EntryName, newVerdict(r, res, chopping, j), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	ginkgo.DeferOnFailure(func() {
		ginkgo.AddReportEntry(WireLogEntryName, assertions.WireLog(res.Wirelog), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	})
	if dir := cfg.ReportDir(); dir != "" {
		if err := spool(dir, r.Role(), res); err != nil {
			ginkgo.Fail(oneLine(err))
		}
	}
	if j.Outcome != harness.Failed {
		for _, n := range res.Notes {
			ginkgo.GinkgoWriter.Println(n)
		}
	}
	switch {
	case j.Outcome == harness.Skipped:
		ginkgo.Skip(j.Reason)
	case j.Mark != harness.NoMark && j.Outcome == harness.Failed:
		ginkgo.Fail(failureMessage(r, res, chopping, j.Reason))
	case j.Mark != harness.NoMark:
		ginkgo.GinkgoWriter.Println(j.Reason)
	case j.Outcome == harness.Failed:
		ginkgo.Fail(failureMessage(r, res, chopping, ""))
	}
}
