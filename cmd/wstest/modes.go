package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/peeropts"
	"github.com/wsfuzz/autobahn/internal/spec"
	"github.com/wsfuzz/autobahn/report"
)

// readSpec reads the spec file of the mode (or fallback in the current
// directory); with -extended it adds our own cases that test the mode's
// side.
func readSpec(c *config, mode spec.Mode, fallback string) (*spec.Spec, error) {
	s, err := readSpecFile(c, mode, fallback)
	if err != nil || !c.extended {
		return s, err
	}
	var ids []string
	for _, x := range cases.Extended() {
		ids = append(ids, x.ID)
	}
	s.Cases = cases.Subtract(append(s.Cases, cases.ForPeer(ids, mode == spec.FuzzingClient)...), nil)
	return s, nil
}

func readSpecFile(c *config, mode spec.Mode, fallback string) (*spec.Spec, error) {
	path := c.spec
	if path == "" {
		path = fallback
		if _, err := os.Stat(path); err != nil {
			if mode == spec.FuzzingClient && c.wsURI != "" {
				return spec.Parse([]byte(`{}`), mode)
			}
			return nil, fmt.Errorf("flag -s (spec) not given and no %s in the current directory", fallback)
		}
	}
	return spec.Read(path, mode)
}

func runServer(ctx context.Context, c *config, p *progress, out, errOut io.Writer) error {
	s, err := readSpec(c, spec.FuzzingServer, "fuzzingserver.json")
	if err != nil {
		return err
	}
	if err := checkOutDir(s.OutDir); err != nil {
		return err
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		return fmt.Errorf("spec field \"url\": %w", err)
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	addr := c.listen
	if addr == "" {
		addr = "127.0.0.1:" + port
	}
	tlsCfg, err := serverTLS(c.tls, s, out)
	if err != nil {
		return err
	}
	if c.debug {
		debugOptions(&s.Options, "fuzzer-server", out)
	}
	p.total = len(s.Cases)
	cfg := fakeserver.Config{
		TLS:               tlsCfg,
		Addr:              addr,
		Cases:             s.Cases,
		ExcludeAgentCases: s.ExcludeAgentCases,
		OutDir:            s.OutDir,
		Results:           p.result,
		Logf:              func(format string, args ...any) { fmt.Fprintf(errOut, "wstest: "+format+"\n", args...) },
	}
	peeropts.ServerConfig(&cfg, s.Options)
	srv, err := fakeserver.New(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(out, "Autobahn WebSocket fuzzing server (Go), listening on %s\n", srv.URL())
	fmt.Fprintf(out, "Ok, will run %d test cases for any clients connecting\n", len(s.Cases))
	var expired <-chan time.Time
	if c.maxDuration > 0 {
		t := time.NewTimer(c.maxDuration)
		defer t.Stop()
		expired = t.C
	}
	limit := newRunLimit(c.maxDuration)
	select {
	case <-ctx.Done():
		limit.stop(context.Cause(ctx))
		fmt.Fprintf(out, "Shutting down (%v); writing the reports of the cases run.\n", context.Cause(ctx))
	case <-srv.ShutdownRequested():
		fmt.Fprintln(out, "Report generation complete; shutting down server.")
		return nil
	case <-expired:
	}
	srv.Close() // cases in flight end now, cut short and not judged
	limit.noteServer(srv, s.ExcludeAgentCases)
	if err := srv.WriteReports(s.OutDir); err != nil {
		return err
	}
	fmt.Fprintf(out, "Reports written to %s\n", s.OutDir)
	return limit.err()
}

// casesFor are the cases of ids that exclusions leave to agent; all of them
// when the agent is not named (it is then known from the server's header
// only, and the exclusions apply as each case runs).
func casesFor(agent string, ids []string, exclusions cases.AgentExclusions) []string {
	if agent == "" {
		return ids
	}
	var out []string
	for _, id := range ids {
		if !exclusions.Excludes(agent, id) {
			out = append(out, id)
		}
	}
	return out
}

func runClient(ctx context.Context, c *config, p *progress, out io.Writer) error {
	s, err := readSpec(c, spec.FuzzingClient, "fuzzingclient.json")
	if err != nil {
		return err
	}
	if err := checkOutDir(s.OutDir); err != nil {
		return err
	}
	if len(s.Servers) == 0 {
		if c.wsURI == "" {
			return fmt.Errorf("the spec lists no servers and flag -w (wsuri) is not given")
		}
		s.Servers = []spec.Server{{URL: c.wsURI, Options: engine.Defaults()}}
	}
	parallel := c.parallel
	if parallel == 0 {
		parallel = s.Parallel
	}
	if parallel == 0 {
		parallel = harness.DefaultParallel()
	}
	fmt.Fprintf(out, "Ok, will run %d test cases against %d servers\n", len(s.Cases), len(s.Servers))
	var all []*report.Result
	var runErr error
	limit := newRunLimit(c.maxDuration)
	for _, srv := range s.Servers {
		opts := srv.Options
		if opts.TLS, err = clientTLS(c.tls, srv); err != nil {
			return err
		}
		if c.debug {
			debugOptions(&opts, "fuzzer-client", out)
		}
		who := srv.URL
		if srv.Agent != "" {
			who += " (" + srv.Agent + ")"
		}
		ids := casesFor(srv.Agent, s.Cases, s.ExcludeAgentCases)
		if n := len(s.Cases) - len(ids); n > 0 {
			fmt.Fprintf(out, "Server %s: %d of the %d cases excluded for its agent by exclude-agent-cases, %d to run\n", who, n, len(s.Cases), len(ids))
		}
		if len(ids) == 0 {
			continue
		}
		p.total = len(ids)
		p.n = 0
		left, ok := limit.remaining()
		if !ok {
			limit.note(who, nil, ids)
			continue
		}
		var results []*report.Result
		cfg := fakeclient.Config{URL: srv.URL, Agent: srv.Agent, Cases: ids,
			ExcludeAgentCases: s.ExcludeAgentCases, MaxDuration: left, Parallel: parallel,
			Progress: func(n, total int, r *report.Result) { p.result(r) }}
		peeropts.ClientConfig(&cfg, opts)
		results, err = fakeclient.Run(ctx, cfg)
		all = append(all, results...)
		var le *fakeclient.LimitError
		var ce *fakeclient.CancelError
		switch {
		case errors.As(err, &le):
			limit.note(who, append([]string{le.CutShort}, le.AlsoCutShort...), le.NotReached)
		case errors.As(err, &ce):
			limit.note(who, append([]string{ce.CutShort}, ce.AlsoCutShort...), ce.NotReached)
			limit.stop(ce.Cause)
		case err != nil:
			runErr = fmt.Errorf("server %s: %w", srv.URL, err)
			fmt.Fprintln(out, "wstest:", runErr)
		}
	}
	p.done()
	if err := limit.err(); err != nil {
		fmt.Fprintln(out, "wstest:", err)
		if runErr == nil || limit.stopped != nil {
			runErr = err
		}
	}
	if len(all) == 0 && runErr != nil {
		return runErr // nothing ran: no report to write
	}
	if err := report.Write(s.OutDir, all); err != nil {
		return err
	}
	fmt.Fprintf(out, "Reports written to %s\n", s.OutDir)
	return runErr
}
