package fakeserver

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/report"
)

// waiters is how many keys the server's store has waiters for.
func waiters(s *Server) int {
	s.results.mu.Lock()
	defer s.results.mu.Unlock()
	return len(s.results.waiting)
}

// eventually fails t unless cond holds within 5 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
	}
}

func TestWait(t *testing.T) {
	srv, err := New(Config{Cases: []string{"1.1.1", "1.1.2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	t.Run("a result that arrives later", func(t *testing.T) {
		type answer struct {
			res *report.Result
			err error
		}
		got := make(chan answer, 1)
		go func() {
			res, err := srv.Wait(t.Context(), "drv", "1.1.1")
			got <- answer{res, err}
		}()
		eventually(t, "Wait waiting", func() bool { return waiters(srv) == 1 })
		if err := echo(t.Context(), srv.URL()+"/runCase?casetuple=1.1.1&agent=drv"); err != nil {
			t.Fatal(err)
		}
		select {
		case a := <-got:
			if a.err != nil || a.res.ID != "1.1.1" || a.res.Agent != "drv" || a.res.Behavior != report.OK {
				t.Fatalf("Wait = %+v, %v; want the OK result of 1.1.1 for drv", a.res, a.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Wait never returned the result")
		}
		if n := waiters(srv); n != 0 {
			t.Errorf("%d keys still waited for", n)
		}
	})

	t.Run("a result stored already", func(t *testing.T) {
		stored, ok := srv.Result("drv", "1.1.1")
		if !ok {
			t.Fatal("no result of 1.1.1 stored")
		}
		// even with a context that is done: the stored result comes first
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		start := time.Now()
		res, err := srv.Wait(ctx, "drv", "1.1.1")
		if err != nil || res != stored {
			t.Fatalf("Wait = %p, %v; want the stored result %p", res, err, stored)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("Wait took %v for a stored result", d)
		}
	})

	t.Run("the context ends first", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		res, err := srv.Wait(ctx, "drv", "1.1.2")
		if res != nil || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "case 1.1.2 of drv") {
			t.Fatalf("Wait = %v, %v; want a wrapped context.DeadlineExceeded naming the case", res, err)
		}
		ctx, cancel = context.WithCancel(t.Context())
		time.AfterFunc(50*time.Millisecond, cancel)
		if _, err := srv.Wait(ctx, "drv", "1.1.2"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v; want a wrapped context.Canceled", err)
		}
		if n := waiters(srv); n != 0 {
			t.Errorf("%d keys still waited for after the waits gave up", n)
		}
	})

	t.Run("a status request that gives up", func(t *testing.T) {
		c, _, err := websocket.DefaultDialer.Dial(srv.URL()+"/getCaseStatus?casetuple=1.1.2&agent=drv", nil)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the status request waiting", func() bool { return waiters(srv) == 1 })
		c.Close()
		// its wait ends with its connection (goleak checks its goroutine)
		eventually(t, "the wait ending with its connection", func() bool { return waiters(srv) == 0 })
	})
}

func TestWaitClosed(t *testing.T) {
	srv, err := New(Config{Cases: []string{"1.1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(50*time.Millisecond, func() { srv.Close() })
	if _, err := srv.Wait(t.Context(), "drv", "1.1.1"); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Wait on a server closed = %v; want a wrapped net.ErrClosed", err)
	}
}

// /updateReports waits for a case still running: its result is in the
// reports.
func TestUpdateReportsWaitsForCases(t *testing.T) {
	out := t.TempDir()
	srv, err := New(Config{Cases: []string{"1.1.1"}, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// a slow client: the case runs while the reports are asked for
	c, _, err := websocket.DefaultDialer.Dial(srv.URL()+"/runCase?case=1&agent=drv", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	caseEnded := make(chan time.Time, 1)
	go func() {
		mt, msg, err := c.ReadMessage()
		if err == nil {
			time.Sleep(500 * time.Millisecond)
			c.WriteMessage(mt, msg)
		}
		for err == nil {
			_, _, err = c.ReadMessage()
		}
		caseEnded <- time.Now()
	}()
	ctl, _, err := websocket.DefaultDialer.Dial(srv.URL()+"/updateReports?agent=drv", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ctl.Close()
	ctl.SetReadDeadline(time.Now().Add(10 * time.Second))
	ctl.ReadMessage() // until the close, once the reports are written
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := idx["drv"]["1.1.1"]; !ok || e.Behavior != report.OK {
		t.Fatalf("the reports lack the case that ran when they were asked for: %+v", idx)
	}
	<-caseEnded
}

func TestBusy(t *testing.T) {
	b := newBusy()
	isIdle := func() bool {
		select {
		case <-b.idle():
			return true
		default:
			return false
		}
	}
	if !isIdle() {
		t.Fatal("idle with no connection: not idle")
	}
	b.add()
	b.add()
	wait := b.idle()
	b.done()
	if isIdle() {
		t.Fatal("one busy connection of two ended: idle")
	}
	b.done()
	select {
	case <-wait:
	default:
		t.Fatal("the last busy connection ended: a wait that began before did not end")
	}
	if !isIdle() {
		t.Fatal("all busy connections ended: not idle")
	}
}
