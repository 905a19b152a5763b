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
// Strict). On failure the message says which part failed and why, gives the
// command that re-runs exactly that case, and shows the verdicts, expected
// and observed events and close codes; the whole wire log is attached to the
// spec's report (shown once, on the console, and kept in JSON and JUnit
// reports). An error of the run (a server that cannot be reached) fails the
// spec with one line. Every
// case runs on its own listener on 127.0.0.1 and a free port, so the specs
// are safe under ginkgo -p. Registrations must be made at the top level of a
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
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/report"
)

// ClientFunc is a WebSocket client under test: it dials url, echoes every
// message it receives until the connection closes, and returns. It should
// give up when ctx is done.
type ClientFunc = fakeserver.ClientFunc

// Roles under test, as spec labels.
const (
	RoleClient = "client"
	RoleServer = "server"
)

// Client registers one spec per case that tests the WebSocket client
// client, with the fuzzer as the server. agent names the client in specs
// and reports. args are Options and Ginkgo decorators.
func Client(agent string, client ClientFunc, args ...any) bool {
	return newClient(agent, client, args).register()
}

// Server registers one spec per case that tests the WebSocket server
// target, with the fuzzer as the client. agent names the server in specs
// and reports. args are Options and Ginkgo decorators.
func Server(agent string, target Target, args ...any) bool {
	return newServer(agent, target, args).register()
}

func newClient(agent string, client ClientFunc, args []any) *registration {
	r := newRegistration(RoleClient, agent, args)
	if client == nil {
		r.cfg.fail("suite: Client(%q): no client function given", agent)
	}
	r.play = func(ctx context.Context, id string, opts engine.Options) (*report.Result, error) {
		srv, err := fakeserver.New(fakeserver.Config{Cases: r.ids, Options: &opts})
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		res, err := srv.RunCase(ctx, id, agent, client)
		if res != nil && err != nil {
			ginkgo.GinkgoWriter.Printf("the client returned an error: %v\n", err)
			err = nil
		}
		return res, err
	}
	return r
}

func newServer(agent string, target Target, args []any) *registration {
	r := newRegistration(RoleServer, agent, args)
	if target == nil {
		r.cfg.fail("suite: Server(%q): no target given", agent)
	}
	r.play = func(ctx context.Context, id string, opts engine.Options) (*report.Result, error) {
		url, stop, err := target.start(time.Duration(float64(2*time.Second) * r.cfg.scale))
		if err != nil {
			return nil, err
		}
		res, err := fakeclient.RunCase(ctx, url, agent, id, &opts)
		if serr := stop(); serr != nil {
			ginkgo.GinkgoWriter.Printf("warning: %v\n", serr)
		}
		return res, err
	}
	return r
}

// registration is one call of Client or Server.
type registration struct {
	role, agent string
	cfg         *config
	ids         []string
	play        func(ctx context.Context, id string, opts engine.Options) (*report.Result, error)
}

func newRegistration(role, agent string, args []any) *registration {
	r := &registration{role: role, agent: agent, cfg: newConfig(args)}
	if strings.TrimSpace(agent) == "" {
		r.cfg.fail("suite: the agent name is empty")
	}
	ids, err := cases.Resolve(r.cfg.include, r.cfg.exclude)
	if err != nil {
		r.cfg.fail("suite: case selection: %w", err)
	}
	r.ids = ids
	return r
}

// register adds the specs to the Ginkgo tree, or one failing spec that
// explains a bad configuration.
func (r *registration) register() bool {
	if err := r.cfg.err(); err != nil {
		return r.registerError(err)
	}
	if r.cfg.reportDir != "" {
		if err := claimReportDir(r.cfg.reportDir, r.agent); err != nil {
			return r.registerError(err)
		}
	}
	for _, id := range r.ids {
		c, _ := cases.ByID(id)
		args := append([]any{Labels(r.role, r.agent, id), ginkgo.SpecTimeout(r.limit(c))}, r.cfg.decorators...)
		args = append(args, func(ctx ginkgo.SpecContext) { r.runSpec(ctx, c) })
		ginkgo.It(SpecText(c), args...)
	}
	return true
}

// registerError registers a spec that fails with err. It carries the role
// and every section label, so that label filters do not hide it.
func (r *registration) registerError(err error) bool {
	labels := ginkgo.Label(r.role)
	seen := map[string]bool{}
	for _, c := range cases.All() {
		if s := sectionLabel(c.ID); !seen[s] {
			seen[s] = true
			labels = append(labels, s)
		}
	}
	ginkgo.It(fmt.Sprintf("autobahn %s suite for %q is configured", r.role, r.agent), labels, func() {
		ginkgo.Fail(err.Error())
	})
	return true
}

// limit is a spec's time limit: the case's own bound plus handshake and
// teardown time, scaled.
func (r *registration) limit(c *cases.Case) time.Duration {
	return time.Duration(float64(c.MaxDuration()+20*time.Second) * max(r.cfg.scale, 1))
}

// runCase plays case id with the registration's options and returns the
// result and the chopping used.
func (r *registration) runCase(ctx context.Context, id string) (*report.Result, string, error) {
	opts, chopping := r.cfg.options(id)
	res, err := r.play(ctx, id, opts)
	if err != nil {
		return nil, chopping, fmt.Errorf("case %s for %s %q (%s): %w", id, r.role, r.agent, chopping, err)
	}
	return res, chopping, nil
}

// runSpec is the body of a case's spec.
func (r *registration) runSpec(ctx ginkgo.SpecContext, c *cases.Case) {
	res, chopping, err := r.runCase(ctx, c.ID)
	if err != nil {
		ginkgo.Fail(oneLine(err))
	}
	ginkgo.AddReportEntry(EntryName, newVerdict(r, res, chopping), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	ginkgo.DeferOnFailure(func() {
		ginkgo.AddReportEntry(WireLogEntryName, assertions.WireLog(res.Wirelog), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	})
	if r.cfg.reportDir != "" {
		if err := spool(r.cfg.reportDir, r.role, res); err != nil {
			ginkgo.Fail(oneLine(err))
		}
	}
	if res.Behavior == runner.Unimplemented && r.cfg.policy == assertions.Lenient {
		ginkgo.Skip(fmt.Sprintf("case %s is UNIMPLEMENTED: %s", c.ID, res.Result))
	}
	if !r.cfg.policy.Accepts(res) {
		ginkgo.Fail(r.failureMessage(res, chopping))
	}
}
