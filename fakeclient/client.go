// Package fakeclient is the fuzzer as a WebSocket client, for testing
// servers: every case is a new connection to the server's URL, with masked
// frames, judged as the real fuzzer judges it.
package fakeclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/peeropts"
	"github.com/wsfuzz/autobahn/internal/plural"
	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/internal/sched"
	"github.com/wsfuzz/autobahn/internal/spec"
	"github.com/wsfuzz/autobahn/report"
)

// UnknownAgent is the agent name of a server that sends no Server header.
const UnknownAgent = "UnknownServer"

// RunCase runs case id against the server at url. agent names the server in
// the report; when empty, the server's Server header (or UnknownServer) is
// used. options are protocol options by the real fuzzer's names, as in a
// spec file's "options" ({"failByDrop": false}); nil means the defaults. An
// error means a bad option, TCP could not be connected, or ctx ended before
// the case did (a *CancelError: the case was cut short, not judged);
// anything else is in the result.
func RunCase(ctx context.Context, url, agent, id string, options map[string]any) (*report.Result, error) {
	return Config{URL: url, Agent: agent, Options: options}.RunCase(ctx, id)
}

// RunCase runs case id against c.URL as the function RunCase does, with c's
// Agent and Options; the other fields are for Run.
func (c Config) RunCase(ctx context.Context, id string) (*report.Result, error) {
	o, err := c.engineOptions()
	if err != nil {
		return nil, err
	}
	res, _, cut, err := runCase(ctx, c.URL, c.Agent, id, &o, nil)
	if cut && err == nil {
		return nil, &CancelError{Cause: context.Cause(ctx), CutShort: id}
	}
	return res, err
}

// engineOptions are the engine options of c: those set from inside the
// module, else Options by name.
func (c *Config) engineOptions() (engine.Options, error) {
	if c.engine != nil {
		return *c.engine, nil
	}
	return spec.FromMap(c.Options, "fakeclient.Config.Options")
}

func init() {
	peeropts.ClientConfig = func(cfg any, o engine.Options) { cfg.(*Config).engine = &o }
}

// agentName is the configured agent, else the server's Server header, else
// UnknownServer.
func agentName(agent string, c *engine.Conn) string {
	if agent != "" {
		return agent
	}
	if resp := c.Response(); resp != nil && resp.Get("server") != "" {
		return resp.Get("server")
	}
	return UnknownAgent
}

// runCase runs one case; it also returns whether the agent excludes the
// case, and whether the context ended its connection (cut short).
func runCase(ctx context.Context, url, agent, id string, opts *engine.Options, exclude cases.AgentExclusions) (res *report.Result, skipped, cut bool, err error) {
	c, ok := cases.ByID(id)
	if !ok {
		return nil, false, false, fmt.Errorf("fakeclient: unknown case id %q", id)
	}
	if !c.Applies(true) {
		return nil, false, false, fmt.Errorf("fakeclient: case %s tests clients; the fuzzing client tests servers", id)
	}
	o := engine.Defaults()
	if opts != nil {
		o = *opts
	}
	h := runner.New(c)
	if exclude != nil {
		h.Exclude = func(conn *engine.Conn) bool { return exclude.Excludes(agentName(agent, conn), id) }
	}
	started := time.Now()
	conn, err := engine.RunClient(ctx, url, o, h.Handler())
	if err != nil {
		return nil, false, ctx.Err() != nil, fmt.Errorf("fakeclient: case %s: %w", id, err)
	}
	if h.Skipped() {
		return nil, true, false, nil
	}
	if conn.Cancelled() {
		return nil, false, true, nil
	}
	return h.Result(conn, agentName(agent, conn), cases.Index(id), started), false, false, nil
}

// Config is a run of many cases against one server.
type Config struct {
	URL   string
	Agent string
	// Cases are the case ids to run, in order.
	Cases []string
	// Options are protocol options by the real fuzzer's names, as in a spec
	// file's "options" ({"failByDrop": false}); nil means the defaults. A
	// bad option is refused before anything runs, with an error naming it.
	Options map[string]any
	// engine, set from inside the module (internal/peeropts), replaces
	// Options.
	engine *engine.Options
	// ExcludeAgentCases skips cases for agents, as a spec's
	// "exclude-agent-cases" (checked once the connection is open).
	ExcludeAgentCases cases.AgentExclusions
	// Progress, when set, is called after each case with its index (from 1)
	// and result.
	Progress func(n, total int, r *report.Result)
	// MaxDuration, when above zero, bounds the whole run: when it passes,
	// the case running is stopped and left out of the results, and Run
	// returns a *LimitError naming the cases not run.
	MaxDuration time.Duration
	// Parallel, when above 1, plays up to that many cases at once, each on
	// its own connection, and the CPU-heavy ones (9.x, 12.x, 13.x) within
	// the process's bound, which counts the cases it plays elsewhere too:
	// GOMAXPROCS/2 (at least one) working beside light cases, GOMAXPROCS
	// alone, a heavy case that only waits not counting; 0 and 1 play them
	// one after the other. The results are the same, in case order.
	Parallel int
	// limiter is the process's bound on work (sched.Default) unless a test
	// sets its own.
	limiter *sched.Limiter
}

// limits is the run's limiter.
func (c *Config) limits() *sched.Limiter {
	if c.limiter == nil {
		return sched.Default
	}
	return c.limiter
}

// LimitError tells which cases a run left out because its MaxDuration
// passed.
type LimitError struct {
	Limit time.Duration
	// CutShort is the case that was running when the limit passed, "" when
	// none was; it has no result.
	CutShort string
	// AlsoCutShort are the other cases running when the limit passed, in
	// a Parallel run; they have no result either.
	AlsoCutShort []string
	// NotReached are the cases never started, in order.
	NotReached []string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("fakeclient: run stopped at its limit of %v%s", e.Limit, leftOut(append([]string{e.CutShort}, e.AlsoCutShort...), e.NotReached))
}

// CancelError tells which cases a run left out because its context ended
// for another reason than its MaxDuration (Ctrl-C in wstest, for example).
type CancelError struct {
	// Cause is the cause of the context's end (context.Cause).
	Cause error
	// CutShort is the case that was running when the context ended, ""
	// when none was; it has no result: it was not judged.
	CutShort string
	// AlsoCutShort are the other cases running when the context ended, in
	// a Parallel run; they were not judged either.
	AlsoCutShort []string
	// NotReached are the cases never started, in order.
	NotReached []string
}

func (e *CancelError) Error() string {
	return fmt.Sprintf("fakeclient: run cancelled (%v)%s", e.Cause, leftOut(append([]string{e.CutShort}, e.AlsoCutShort...), e.NotReached))
}

// Unwrap returns the cause.
func (e *CancelError) Unwrap() error { return e.Cause }

// leftOut names the case cut short and the cases not reached.
func leftOut(cut, notReached []string) string {
	var b strings.Builder
	if cut[0] != "" {
		fmt.Fprintf(&b, "; case %s cut short", strings.Join(cut, ", "))
	}
	if len(notReached) > 0 {
		fmt.Fprintf(&b, "; %s not reached: %s", plural.Count(len(notReached), "case"), strings.Join(notReached, " "))
	}
	return b.String()
}

// errRunLimit is the cause of a run's context ending at its MaxDuration.
var errRunLimit = errors.New("run limit reached")

// Run runs the cases one after the other, or Parallel at once. Like the
// real fuzzer, it stops at the first case whose TCP connection cannot be
// made, returning the results so far and the error. When ctx ends (or
// MaxDuration passes), the case running is cut short and left out, not
// judged, and Run returns the results so far with a *CancelError (a
// *LimitError) naming the cases left out. Cases of section H that test clients are left out; a list of only
// such cases is an error.
func Run(ctx context.Context, cfg Config) ([]*report.Result, error) {
	o, err := cfg.engineOptions()
	if err != nil {
		return nil, err
	}
	ids := cases.ForPeer(cfg.Cases, true)
	if len(ids) == 0 && len(cfg.Cases) > 0 {
		return nil, errors.New("fakeclient: the cases given test only clients; the fuzzing client tests servers")
	}
	cfg.Cases = ids
	cfg.engine = &o
	if cfg.MaxDuration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, cfg.MaxDuration, errRunLimit)
		defer cancel()
	}
	if cfg.Parallel > 1 {
		return runParallel(ctx, cfg)
	}
	stopped := func(i int, cut string) error {
		rest := append([]string(nil), cfg.Cases[i:]...)
		if cause := context.Cause(ctx); cause != errRunLimit {
			return &CancelError{Cause: cause, CutShort: cut, NotReached: rest}
		}
		return &LimitError{Limit: cfg.MaxDuration, CutShort: cut, NotReached: rest}
	}
	var out []*report.Result
	for i, id := range cfg.Cases {
		if ctx.Err() != nil {
			return out, stopped(i, "")
		}
		ticket, err := cfg.limits().Enter(ctx, heavy(id)) // beside what else the process plays
		if err != nil {
			return out, stopped(i, "")
		}
		r, skipped, cut, err := runCase(ctx, cfg.URL, cfg.Agent, id, withActivity(*cfg.engine, ticket), cfg.ExcludeAgentCases)
		ticket.Leave()
		switch {
		case cut && err != nil:
			return out, stopped(i, "") // the connection was never made
		case cut:
			return out, stopped(i+1, id) // its verdict would be the harness's
		case err != nil:
			return out, err
		case skipped:
			continue
		}
		out = append(out, r)
		if cfg.Progress != nil {
			cfg.Progress(i+1, len(cfg.Cases), r)
		}
	}
	return out, nil
}

// heavy reports whether case id is CPU-heavy; an unknown id is not (runCase
// refuses it).
func heavy(id string) bool {
	c, ok := cases.ByID(id)
	return ok && c.Heavy()
}

// withActivity is o telling ticket of the case's traffic.
func withActivity(o engine.Options, ticket *sched.Ticket) *engine.Options {
	o.Activity = ticket.Touch
	return &o
}
