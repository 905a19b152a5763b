// Package fakeclient is the fuzzer as a WebSocket client, for testing
// servers: every case is a new connection to the server's URL, with masked
// frames, judged as the real fuzzer judges it.
package fakeclient

import (
	"context"
	"fmt"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/engine"
	"github.com/wsfuzz/autobahn/report"
	"github.com/wsfuzz/autobahn/runner"
)

// UnknownAgent is the agent name of a server that sends no Server header.
const UnknownAgent = "UnknownServer"

// RunCase runs case id against the server at url. agent names the server in
// the report; when empty, the server's Server header (or UnknownServer) is
// used. opts nil means engine.Defaults(). An error means TCP could not be
// connected; anything after that is in the result.
func RunCase(ctx context.Context, url, agent, id string, opts *engine.Options) (*report.Result, error) {
	c, ok := cases.ByID(id)
	if !ok {
		return nil, fmt.Errorf("fakeclient: unknown case id %q", id)
	}
	o := engine.Defaults()
	if opts != nil {
		o = *opts
	}
	r := runner.New(c)
	started := time.Now()
	conn, err := engine.RunClient(ctx, url, o, r)
	if err != nil {
		return nil, fmt.Errorf("fakeclient: case %s: %w", id, err)
	}
	if agent == "" {
		agent = UnknownAgent
		if resp := conn.Response(); resp != nil && resp.Get("server") != "" {
			agent = resp.Get("server")
		}
	}
	return r.Result(conn, agent, cases.Index(id), started), nil
}

// Config is a run of many cases against one server.
type Config struct {
	URL   string
	Agent string
	// Cases are the case ids to run, in order.
	Cases   []string
	Options *engine.Options
	// Progress, when set, is called after each case with its index (from 1)
	// and result.
	Progress func(n, total int, r *report.Result)
}

// Run runs the cases one after the other. Like the real fuzzer, it stops at
// the first case whose TCP connection cannot be made, returning the results
// so far and the error.
func Run(ctx context.Context, cfg Config) ([]*report.Result, error) {
	var out []*report.Result
	for i, id := range cfg.Cases {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("fakeclient: stopped before case %s: %w", id, err)
		}
		r, err := RunCase(ctx, cfg.URL, cfg.Agent, id, cfg.Options)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		if cfg.Progress != nil {
			cfg.Progress(i+1, len(cfg.Cases), r)
		}
	}
	return out, nil
}
