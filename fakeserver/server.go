// Package fakeserver is the fuzzer as a WebSocket server, for testing
// clients. It listens on 127.0.0.1 and speaks the Autobahn driver protocol:
// /getCaseCount, /getCaseInfo, /runCase, /getCaseStatus, /updateReports, so
// an existing Autobahn client driver works unchanged. RunCase runs one case
// against a client given as a Go function; Wait waits for the result of a
// case that a driver runs.
package fakeserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/peeropts"
	"github.com/wsfuzz/autobahn/internal/spec"
	"github.com/wsfuzz/autobahn/report"
)

// Config configures a Server.
type Config struct {
	// Addr to listen on; default "127.0.0.1:0" (a free port).
	Addr string
	// Cases and ExcludeCases select the cases (patterns as in spec files);
	// default all.
	Cases, ExcludeCases []string
	// ExcludeAgentCases skips cases per agent at run time.
	ExcludeAgentCases cases.AgentExclusions
	// Options are protocol options by the real fuzzer's names, as in a spec
	// file's "options" ({"failByDrop": false}); nil means the defaults. A
	// bad option is refused by New, with an error naming it.
	Options map[string]any
	// engine, set from inside the module (internal/peeropts), replaces
	// Options.
	engine *engine.Options
	// OutDir receives reports on /updateReports; empty writes none.
	OutDir string
	// Logf, when set, is told about problems: connections refused before
	// naming a case, reports that could not be written. (Results tells
	// about every case.)
	Logf func(format string, args ...any)
	// Results, when set, is called with every result as it is stored.
	Results func(*report.Result)
	// TLS, when set, makes the server listen with TLS (wss://); it must
	// hold a certificate.
	TLS *tls.Config
}

func init() {
	peeropts.ServerConfig = func(cfg any, o engine.Options) { cfg.(*Config).engine = &o }
}

// Server is a running fuzzing server.
type Server struct {
	ln       net.Listener
	scheme   string // ws or wss
	opts     engine.Options
	specIDs  []string
	exclude  cases.AgentExclusions
	outDir   string
	logf     func(string, ...any)
	onResult func(*report.Result)
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup // the accept loop, connections, report writers
	results  *store
	busy     *busy
	reported chan struct{}
	shutdown chan struct{}
	stopOnce sync.Once
	mu       sync.Mutex // guards what follows
	// refused remembers why the last connections that never named a case
	// ended, for RunCase to tell.
	refused    []refusal
	refusedSeq int
	// cut are the cases that Close ended while they ran, unjudged.
	cut []CaseRef
}

// CaseRef names a case run for an agent.
type CaseRef struct {
	Agent, ID string
}

// refusal is a connection that ended before it named a case.
type refusal struct {
	seq    int
	reason string
}

// maxRefusals is how many refusals the server remembers.
const maxRefusals = 32

// New listens and starts serving.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Cases == nil {
		cfg.Cases = []string{"*"}
	}
	ids, err := cases.Resolve(cfg.Cases, cfg.ExcludeCases)
	if err != nil {
		return nil, fmt.Errorf("fakeserver: %w", err)
	}
	if ids = cases.ForPeer(ids, false); len(ids) == 0 {
		return nil, fmt.Errorf("fakeserver: the selected cases test only servers; the fuzzing server tests clients")
	}
	if err := cfg.ExcludeAgentCases.Validate(); err != nil {
		return nil, fmt.Errorf("fakeserver: exclude-agent-cases: %w", err)
	}
	opts, err := spec.FromMap(cfg.Options, "fakeserver.Config.Options")
	if err != nil {
		return nil, err
	}
	if cfg.engine != nil {
		opts = *cfg.engine
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("fakeserver: listen on %s: %w", cfg.Addr, err)
	}
	scheme := "ws"
	if cfg.TLS != nil {
		if ln, err = listenTLS(ln, cfg.TLS); err != nil {
			return nil, err
		}
		scheme = "wss"
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{ln: ln, scheme: scheme, opts: opts, specIDs: ids, exclude: cfg.ExcludeAgentCases, outDir: cfg.OutDir,
		logf: cfg.Logf, onResult: cfg.Results, ctx: ctx, cancel: cancel, results: newStore(), busy: newBusy(),
		reported: make(chan struct{}, 1), shutdown: make(chan struct{})}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// URL is the server's ws:// (or, with TLS, wss://) base URL.
func (s *Server) URL() string { return s.scheme + "://" + s.ln.Addr().String() }

// Addr is the listening address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// CaseIDs are the ids of the selected cases; case number N is CaseIDs()[N-1].
func (s *Server) CaseIDs() []string { return append([]string(nil), s.specIDs...) }

// Close stops listening, drops open connections and waits for them. A case
// whose connection it drops is not judged: it has no result, and CutShort
// names it.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.cancel()
	s.wg.Wait()
	return err
}

// ShutdownRequested is closed when a driver asked /updateReports with
// shutdownOnComplete=true, after the reports were written.
func (s *Server) ShutdownRequested() <-chan struct{} { return s.shutdown }

// ReportsUpdated receives a value each time /updateReports has written the
// reports.
func (s *Server) ReportsUpdated() <-chan struct{} { return s.reported }

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if s.ctx.Err() != nil {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.wg.Add(1)
		s.busy.add()
		go func() {
			defer s.wg.Done()
			s.serve(nc)
		}()
	}
}

// serve serves one accepted connection, counted busy by accept: until it
// turns out not to run a case, or until its case's result is stored.
func (s *Server) serve(nc net.Conn) {
	started := time.Now()
	busy := true
	notBusy := func() {
		if busy {
			busy = false
			s.busy.done()
		}
	}
	defer notBusy()
	if err := s.handshakeTLS(nc); err != nil {
		_ = nc.Close()
		s.refuse(err.Error())
		return
	}
	// ended ends what waits on behalf of the connection (a status request).
	ended, end := context.WithCancel(s.ctx)
	defer end()
	var run *caseRun
	// route runs on this goroutine: the connection's loop is RunServer's.
	c := engine.RunServer(s.ctx, nc, s.opts, func(r *engine.Request) (engine.Handler, error) {
		h, cr, err := s.route(ended, r)
		if run = cr; run == nil {
			notBusy()
		}
		return h, err
	})
	if run == nil {
		if f := c.Flags(); !f.ConnectionWasOpen && f.WasNotCleanReason != nil {
			s.refuse(*f.WasNotCleanReason)
		}
		return
	}
	if run.runner.Skipped() {
		return
	}
	if c.Cancelled() {
		// Close ended the case: its verdict would be the harness's.
		s.mu.Lock()
		s.cut = append(s.cut, CaseRef{run.agent, run.runner.Case.ID})
		s.mu.Unlock()
		return
	}
	res := run.runner.Result(c, run.agent, run.num, started)
	s.store(res)
}

// store keeps a result (a rerun replaces it), hands it to whoever waits
// for it and to the Results callback.
func (s *Server) store(res *report.Result) {
	s.results.put(res)
	if s.onResult != nil {
		s.onResult(res)
	}
}

// refuse remembers why a connection ended before it named a case.
func (s *Server) refuse(reason string) {
	s.mu.Lock()
	s.refusedSeq++
	s.refused = append(s.refused, refusal{s.refusedSeq, reason})
	if len(s.refused) > maxRefusals {
		s.refused = s.refused[len(s.refused)-maxRefusals:]
	}
	s.mu.Unlock()
	if s.logf != nil {
		s.logf("connection refused before naming a case: %s", reason)
	}
}

// refusalsSince returns the reasons of the refusals after sequence number seq.
func (s *Server) refusalsSince(seq int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.refused {
		if r.seq > seq {
			out = append(out, r.reason)
		}
	}
	return out
}

// waitIdle waits until no connection is busy, for at most d, or until the
// server is closed: a driver usually asks for the reports right after its
// last case, while the server is still seeing that connection end.
func (s *Server) waitIdle(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-s.busy.idle():
	case <-t.C:
	case <-s.ctx.Done():
	}
}

// Results returns every stored result, sorted by agent and case id.
func (s *Server) Results() []*report.Result { return s.results.all() }

// CutShort names the cases that Close ended while they ran, in the order
// they ended.
func (s *Server) CutShort() []CaseRef {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CaseRef(nil), s.cut...)
}

// Result returns the stored result of case id for agent.
func (s *Server) Result(agent, id string) (*report.Result, bool) {
	return s.results.get(CaseRef{agent, id})
}

// Wait returns the result of case id for agent: at once when it is stored,
// else once it is. It fails when ctx ends first (the error wraps ctx.Err())
// or the server is closed (the error wraps net.ErrClosed). A rerun of the
// case for the agent replaces its result; RunCase forgets the result
// before it runs the case, so that Wait waits for the new one.
func (s *Server) Wait(ctx context.Context, agent, id string) (*report.Result, error) {
	a, release := s.results.await(CaseRef{agent, id})
	defer release()
	select {
	case <-a.done: // stored already
		return a.res, nil
	default:
	}
	select {
	case <-a.done:
		return a.res, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("fakeserver: waiting for case %s of %s: %w", id, agent, ctx.Err())
	case <-s.ctx.Done():
		return nil, fmt.Errorf("fakeserver: waiting for case %s of %s: %w", id, agent, net.ErrClosed)
	}
}

// WriteReports writes every stored result to dir.
func (s *Server) WriteReports(dir string) error {
	return report.Write(dir, s.Results())
}

// ClientFunc is a WebSocket client under test: it dials url, echoes every
// message until the connection closes, and returns.
type ClientFunc func(ctx context.Context, url string) error

// RunCase runs case id against client under the given agent name and returns
// its result. The client's own error is returned beside the result: a
// client that fails is still judged. RunCase is safe for concurrent use:
// different cases (or agents) run at once, each on its own connection. It
// returns once the client function has returned, unless the function is
// still running 2 seconds after its context was cancelled (the error says
// so).
func (s *Server) RunCase(ctx context.Context, agent, id string, client ClientFunc) (*report.Result, error) {
	num := 0
	for i, v := range s.specIDs {
		if v == id {
			num = i + 1
		}
	}
	if num == 0 {
		return nil, fmt.Errorf("fakeserver: case %s is not among the selected cases", id)
	}
	s.mu.Lock()
	firstRefusal := s.refusedSeq
	s.mu.Unlock()
	k := CaseRef{agent, id}
	s.results.forget(k)
	arrived, release := s.results.await(k)
	defer release()

	c, _ := cases.ByID(id)
	limit := c.MaxDuration() + s.opts.OpenHandshakeTimeout + 5*time.Second
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	clientErr := make(chan error, 1)
	go func() {
		clientErr <- client(cctx, fmt.Sprintf("%s/runCase?case=%d&agent=%s", s.URL(), num, queryEscape(agent)))
	}()
	var res *report.Result
	var cerr error
	select {
	case <-arrived.done:
		res = arrived.res
		cerr = awaitClient(clientErr, cancel)
	case cerr = <-clientErr:
		// The client returned; its connections (if any) end on their own.
		res = s.awaitConns(cctx, arrived)
	case <-cctx.Done():
		// The client's context is done too: it returns at once, and what
		// it returns says nothing the timeout does not.
		if _, ok := clientReturn(clientErr, clientReturnWait); !ok {
			cerr = fmt.Errorf("fakeserver: the client function had not returned %v after its context was done", clientReturnWait)
		}
	}
	if res == nil {
		why := ""
		if reasons := s.refusalsSince(firstRefusal); len(reasons) > 0 {
			why = " (connections refused before naming a case: " + strings.Join(reasons, "; ") + ")"
		}
		if cerr != nil {
			return nil, fmt.Errorf("fakeserver: case %s: no connection was judged%s: client: %w", id, why, cerr)
		}
		return nil, fmt.Errorf("fakeserver: case %s: the client never ran the case%s", id, why)
	}
	return res, cerr
}

// clientReturnWait is how long RunCase waits for the client function to
// return once its case has ended, and again once its context is cancelled.
const clientReturnWait = 2 * time.Second

// awaitClient waits for the client function's error on errc once its case
// has ended: a client returns when its connection closes. One that has not
// returned after clientReturnWait has its context cancelled; one that still
// has not after another clientReturnWait is left running, and the error
// says so.
func awaitClient(errc <-chan error, cancel context.CancelFunc) error {
	if err, ok := clientReturn(errc, clientReturnWait); ok {
		return err
	}
	cancel()
	if err, ok := clientReturn(errc, clientReturnWait); ok {
		return err
	}
	return fmt.Errorf("fakeserver: the client function had not returned %v after its case ended, %v after its context was cancelled", 2*clientReturnWait, clientReturnWait)
}

// clientReturn waits at most d for the client function's error on errc;
// false when the function has not returned by then.
func clientReturn(errc <-chan error, d time.Duration) (error, bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-errc:
		return err, true
	case <-t.C:
		return nil, false
	}
}

// awaitConns waits for the result arriving until no connection is busy or
// ctx ends; nil when no result came.
func (s *Server) awaitConns(ctx context.Context, arriving *arrival) *report.Result {
	select {
	case <-arriving.done:
		return arriving.res
	case <-s.busy.idle():
	case <-ctx.Done():
		return nil
	}
	// A connection stores its result before it counts out.
	select {
	case <-arriving.done:
		return arriving.res
	default:
		return nil
	}
}
