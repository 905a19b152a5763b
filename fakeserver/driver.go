package fakeserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/report"
)

// caseRun is a /runCase connection: its runner is the connection's handler.
type caseRun struct {
	runner *runner.Runner
	agent  string
	num    int
}

// reply is a control connection: it runs fn when open (which sends its
// answer and closes); messages from the peer are ignored.
type reply struct{ fn func(c *engine.Conn) }

func (h reply) Open(c *engine.Conn)              { h.fn(c) }
func (reply) Message(*engine.Conn, []byte, bool) {}
func (reply) Pong(*engine.Conn, []byte)          {}

func sendJSON(c *engine.Conn, v any) {
	b, _ := json.Marshal(v)
	_ = c.SendMessage(b, false, 0, false)
	c.SendClose(nil, "")
}

func queryEscape(s string) string { return url.QueryEscape(s) }

// one returns the single value of a query parameter; more than one is an error.
func one(q url.Values, name string) (string, bool, error) {
	v, ok := q[name]
	if !ok {
		return "", false, nil
	}
	if len(v) > 1 {
		return "", true, fmt.Errorf("parameter %s given %d times", name, len(v))
	}
	return v[0], true, nil
}

// route answers the driver URLs, as the real fuzzing server does. ended is
// done when the connection has ended.
func (s *Server) route(ended context.Context, r *engine.Request) (engine.Handler, *caseRun, error) {
	agent, _, err := one(r.Query, "agent")
	if err != nil {
		return nil, nil, err
	}
	shutdown := false
	if v, ok, err := one(r.Query, "shutdownOnComplete"); err != nil {
		return nil, nil, err
	} else if ok {
		shutdown = strings.EqualFold(v, "true") || strings.EqualFold(v, "yes")
	}
	num := 0
	if v, ok, err := one(r.Query, "casetuple"); err != nil {
		return nil, nil, err
	} else if ok {
		v = strings.TrimSpace(v)
		for i, id := range s.specIDs {
			if id == v {
				num = i + 1
			}
		}
		if num == 0 {
			return nil, nil, fmt.Errorf("invalid test case tuple %s", v)
		}
	}
	if v, ok, err := one(r.Query, "case"); err != nil {
		return nil, nil, err
	} else if ok {
		if num, err = strconv.Atoi(v); err != nil {
			return nil, nil, fmt.Errorf("invalid test case ID %s", v)
		}
	}
	var c *cases.Case
	if num != 0 {
		if num < 1 || num > len(s.specIDs) {
			return nil, nil, fmt.Errorf("case %d not found", num)
		}
		c, _ = cases.ByID(s.specIDs[num-1])
	}
	switch r.Path {
	case "/runCase":
		if c == nil {
			return nil, nil, fmt.Errorf("need case to run")
		}
		if agent == "" {
			return nil, nil, fmt.Errorf("need agent to run case")
		}
		cr := runner.New(c)
		cr.Exclude = func(*engine.Conn) bool { return s.exclude.Excludes(agent, c.ID) }
		return cr.Handler(), &caseRun{runner: cr, agent: agent, num: num}, nil
	case "/getCaseCount":
		return reply{func(conn *engine.Conn) { sendJSON(conn, len(s.specIDs)) }}, nil, nil
	case "/getCaseInfo":
		if c == nil {
			return nil, nil, fmt.Errorf("need case to get info")
		}
		return reply{func(conn *engine.Conn) {
			sendJSON(conn, map[string]string{"id": c.ID, "description": prettyDescription(c.Description)})
		}}, nil, nil
	case "/getCaseStatus":
		if c == nil {
			return nil, nil, fmt.Errorf("need case to get status")
		}
		if agent == "" {
			return nil, nil, fmt.Errorf("need agent to get status")
		}
		return reply{func(conn *engine.Conn) { s.answerStatus(ended, conn, agent, c.ID) }}, nil, nil
	case "/updateReports":
		if agent == "" {
			return nil, nil, fmt.Errorf("need agent to update reports for")
		}
		return reply{func(conn *engine.Conn) {
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.updateReports(conn, shutdown)
			}()
		}}, nil, nil
	}
	return nil, nil, fmt.Errorf("unknown path %s (direct command mode is not supported)", r.Path)
}

// updateReports writes the reports once the cases in flight have ended, then
// closes the control connection. With shutdown (shutdownOnComplete=true) it
// drops the connection without a close frame, as the real fuzzer does: it
// queues its close and stops at once, so its close frame does not leave, and
// drivers must take the connection's end after the request was accepted as
// the reports' being written.
func (s *Server) updateReports(conn *engine.Conn, shutdown bool) {
	s.waitIdle(5 * time.Second)
	if s.outDir != "" {
		if err := s.WriteReports(s.outDir); err != nil && s.logf != nil {
			s.logf("writing reports: %v", err)
		}
	}
	conn.Post(func() {
		if shutdown {
			conn.DropConnection(false)
		} else {
			conn.SendClose(nil, "")
		}
	})
	select {
	case s.reported <- struct{}{}:
	default:
	}
	if shutdown {
		s.stopOnce.Do(func() { close(s.shutdown) })
	}
}

// answerStatus answers /getCaseStatus with the verdict of case id for agent:
// at once when it has run, else once it has, unless the connection ends
// before (ended is then done).
func (s *Server) answerStatus(ended context.Context, conn *engine.Conn, agent, id string) {
	answer := func(res *report.Result) { sendJSON(conn, map[string]report.Verdict{"behavior": res.Behavior}) }
	if res, ok := s.Result(agent, id); ok {
		answer(res)
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if res, err := s.Wait(ended, agent, id); err == nil {
			conn.Post(func() { answer(res) })
		}
	}()
}

// prettyDescription is a description up to its first "<", with white space
// collapsed.
func prettyDescription(d string) string {
	if i := strings.Index(d, "<"); i >= 0 {
		d = d[:i]
	}
	return strings.Join(strings.Fields(d), " ")
}
