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
	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/report"
)

// UnknownAgent is the agent name of a server that sends no Server header.
const UnknownAgent = "UnknownServer"

// RunCase runs case id against the server at url. agent names the server in
// the report; when empty, the server's Server header (or UnknownServer) is
// used. opts nil means engine.Defaults(). An error means TCP could not be
// connected; anything after that is in the result.
func RunCase(ctx context.Context, url, agent, id string, opts *engine.Options) (*report.Result, error) {
	res, _, _, err := runCase(ctx, url, agent, id, opts, nil)
	return res, err
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

// runCase runs one case; it also returns when its connection ended, and
// whether the agent excludes the case.
func runCase(ctx context.Context, url, agent, id string, opts *engine.Options, exclude cases.AgentExclusions) (res *report.Result, skipped bool, ended time.Time, err error) {
	c, ok := cases.ByID(id)
	if !ok {
		return nil, false, time.Now(), fmt.Errorf("fakeclient: unknown case id %q", id)
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
	conn, err := engine.RunClient(ctx, url, o, h)
	if err != nil {
		return nil, false, time.Now(), fmt.Errorf("fakeclient: case %s: %w", id, err)
	}
	ended = conn.Timing().Lost
	if h.Skipped() {
		return nil, true, ended, nil
	}
	return h.Result(conn, agentName(agent, conn), cases.Index(id), started), false, ended, nil
}

// Config is a run of many cases against one server.
type Config struct {
	URL   string
	Agent string
	// Cases are the case ids to run, in order.
	Cases   []string
	Options *engine.Options
	// ExcludeAgentCases skips cases for agents, as a spec's
	// "exclude-agent-cases" (checked once the connection is open).
	ExcludeAgentCases cases.AgentExclusions
	// Progress, when set, is called after each case with its index (from 1)
	// and result: in case order when serial, as the cases finish when
	// Parallel (one call at a time).
	Progress func(n, total int, r *report.Result)
	// MaxDuration, when above zero, bounds the whole run: when it passes,
	// the case running is stopped and left out of the results, and Run
	// returns a *LimitError naming the cases not run.
	MaxDuration time.Duration
	// Parallel, when above 1, plays up to that many cases at once, each on
	// its own connection, and the CPU-heavy ones (9.x, 12.x, 13.x) at most
	// GOMAXPROCS at once; 0 and 1 play them one after the other. The
	// results are the same, in case order.
	Parallel int
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
	var b strings.Builder
	fmt.Fprintf(&b, "fakeclient: run stopped at its limit of %v", e.Limit)
	if e.CutShort != "" {
		cut := append([]string{e.CutShort}, e.AlsoCutShort...)
		fmt.Fprintf(&b, "; case %s cut short", strings.Join(cut, ", "))
	}
	fmt.Fprintf(&b, "; %d cases not reached", len(e.NotReached))
	if len(e.NotReached) > 0 {
		fmt.Fprintf(&b, ": %s", strings.Join(e.NotReached, " "))
	}
	return b.String()
}

// errRunLimit is the cause of a run's context ending at its MaxDuration.
var errRunLimit = errors.New("run limit reached")

// Run runs the cases one after the other, or Parallel at once. Like the
// real fuzzer, it stops at the first case whose TCP connection cannot be
// made, returning the results so far and the error.
func Run(ctx context.Context, cfg Config) ([]*report.Result, error) {
	var deadline time.Time
	if cfg.MaxDuration > 0 {
		deadline = time.Now().Add(cfg.MaxDuration)
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadlineCause(ctx, deadline, errRunLimit)
		defer cancel()
	}
	if cfg.Parallel > 1 {
		return runParallel(ctx, cfg, deadline)
	}
	limited := func(i int, cut string) error {
		return &LimitError{Limit: cfg.MaxDuration, CutShort: cut, NotReached: append([]string(nil), cfg.Cases[i:]...)}
	}
	var out []*report.Result
	for i, id := range cfg.Cases {
		if err := ctx.Err(); err != nil {
			if context.Cause(ctx) == errRunLimit {
				return out, limited(i, "")
			}
			return out, fmt.Errorf("fakeclient: stopped before case %s: %w", id, err)
		}
		r, skipped, ended, err := runCase(ctx, cfg.URL, cfg.Agent, id, cfg.Options, cfg.ExcludeAgentCases)
		if context.Cause(ctx) == errRunLimit && !ended.Before(deadline) {
			// The limit stopped the case, not its peer: its verdict would
			// be the harness's.
			return out, limited(i+1, id)
		}
		if err != nil {
			return out, err
		}
		if skipped {
			continue
		}
		out = append(out, r)
		if cfg.Progress != nil {
			cfg.Progress(i+1, len(cfg.Cases), r)
		}
	}
	return out, nil
}
