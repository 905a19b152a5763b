package harness

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/peeropts"
	"github.com/wsfuzz/autobahn/internal/sched"
	"github.com/wsfuzz/autobahn/report"
)

// ClientFunc is a WebSocket client under test: it dials url, echoes every
// message it receives until the connection closes, and returns. It should
// give up when ctx is done.
type ClientFunc = fakeserver.ClientFunc

// Roles under test.
const (
	RoleClient = "client"
	RoleServer = "server"
)

// Runner plays the selected cases of a Config against one client or one
// server. Its methods are safe for concurrent use: cases may be played at
// the same time, each on its own connection.
type Runner struct {
	role, agent string
	cfg         *Config
	gate        *sched.Gate // the Parallel bound, within the process's
	play        func(ctx context.Context, id string, opts engine.Options) (*report.Result, error)
}

// Client is a Runner that tests the WebSocket client client, with the
// fuzzer as the server. agent names the client in results and reports.
func Client(agent string, client ClientFunc, opts ...Option) (*Runner, error) {
	var errs []error
	if client == nil {
		errs = append(errs, fmt.Errorf("harness: Client(%q): no client function given", agent))
	}
	r, err := newRunner(RoleClient, agent, opts, errs)
	if err != nil {
		return nil, err
	}
	r.play = func(ctx context.Context, id string, opts engine.Options) (*report.Result, error) {
		cfg := fakeserver.Config{Cases: r.cfg.ids, TLS: r.cfg.serverTLS()}
		peeropts.ServerConfig(&cfg, opts)
		srv, err := fakeserver.New(cfg)
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		res, err := srv.RunCase(r.cfg.withClientTLS(ctx), agent, id, client)
		if res != nil && err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("the client returned an error: %v", err))
			err = nil
		}
		return res, err
	}
	return r, nil
}

// Server is a Runner that tests the WebSocket server target, with the
// fuzzer as the client. agent names the server in results and reports.
func Server(agent string, target Target, opts ...Option) (*Runner, error) {
	var errs []error
	if target == nil {
		errs = append(errs, fmt.Errorf("harness: Server(%q): no target given", agent))
	}
	r, err := newRunner(RoleServer, agent, opts, errs)
	if err != nil {
		return nil, err
	}
	if ht, ok := target.(handlerTarget); ok {
		ht.tls = r.cfg.serverTLS()
		target = ht
	}
	r.play = func(ctx context.Context, id string, opts engine.Options) (*report.Result, error) {
		url, stop, err := target.start(time.Duration(float64(2*time.Second) * r.cfg.scale))
		if err != nil {
			return nil, err
		}
		cfg := fakeclient.Config{URL: url, Agent: agent}
		peeropts.ClientConfig(&cfg, opts)
		res, err := cfg.RunCase(ctx, id)
		if serr := stop(); serr != nil {
			if res == nil {
				return nil, errors.Join(err, serr)
			}
			res.Notes = append(res.Notes, fmt.Sprintf("warning: %v", serr))
		}
		return res, err
	}
	return r, nil
}

func newRunner(role, agent string, opts []Option, errs []error) (*Runner, error) {
	if strings.TrimSpace(agent) == "" {
		errs = append(errs, errors.New("harness: the agent name is empty"))
	}
	cfg, err := NewConfig(opts...)
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	ids := cases.ForPeer(cfg.ids, role == RoleServer)
	if len(ids) == 0 && len(cfg.ids) > 0 {
		return nil, fmt.Errorf("harness: the selected cases test only %ss, and this runner tests a %s", otherRole(role), role)
	}
	cfg.ids = ids
	return &Runner{role: role, agent: agent, cfg: cfg, gate: sched.NewGate(cfg.limiter, cfg.Parallel())}, nil
}

func otherRole(role string) string {
	if role == RoleServer {
		return RoleClient
	}
	return RoleServer
}

// Role is RoleClient or RoleServer: what is under test.
func (r *Runner) Role() string { return r.role }

// Agent is the name of the implementation under test.
func (r *Runner) Agent() string { return r.agent }

// Config is the run's settings.
func (r *Runner) Config() *Config { return r.cfg }

// IDs are the selected cases, in catalog order.
func (r *Runner) IDs() []string { return r.cfg.ids }

// Limit is the longest a case may take, handshakes and teardown included,
// scaled by TimeoutScale: the bound for a test's or spec's own timeout.
func (r *Runner) Limit(c *cases.Case) time.Duration {
	if r.cfg.debug != nil {
		return debugLimit
	}
	return time.Duration(float64(c.MaxDuration()+20*time.Second) * max(r.cfg.scale, 1))
}

// Play runs case id and returns its result and a description of the
// chopping used. An error means the case could not be judged (a bad id, a
// server that could not be started, a cancelled ctx before the case began).
// Play waits while the Parallel bound is reached; Limit does not count that
// wait.
func (r *Runner) Play(ctx context.Context, id string, seed Seed) (*report.Result, string, error) {
	opts, chopping := r.cfg.engineOptions(id, seed)
	r.cfg.secure(&opts, r.role, id)
	if !slices.Contains(r.cfg.ids, id) {
		return nil, chopping, fmt.Errorf("harness: case %s is excluded by the options", id)
	}
	res, err := r.gated(ctx, id, opts)
	if err != nil {
		return nil, chopping, fmt.Errorf("case %s for %s %q (%s): %w", id, r.role, r.agent, chopping, err)
	}
	return res, chopping, nil
}

// gated plays case id once the Parallel bound and the process's bound on
// work let it; the case's traffic tells the process whether it works.
func (r *Runner) gated(ctx context.Context, id string, opts engine.Options) (*report.Result, error) {
	c, ok := cases.ByID(id)
	if !ok {
		return nil, fmt.Errorf("harness: no case %s", id)
	}
	ticket, release, err := r.gate.Enter(ctx, c.Heavy())
	if err != nil {
		return nil, err
	}
	defer release()
	opts.Activity = ticket.Touch
	return r.play(ctx, id, opts)
}
