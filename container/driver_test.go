package container

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/report"
)

// notExited is a container that keeps running.
func notExited(context.Context) (bool, int) { return false, 0 }

// logLines collects a driver's log.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logLines) contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

// Our fuzzing server, as the stand-in image runs it, drops /updateReports
// with shutdownOnComplete=true after the handshake and without a close
// frame: the run is no error, and the reports hold every judged case.
func TestDriverTakesUpdateReportsEndedAfterTheHandshake(t *testing.T) {
	dir := t.TempDir()
	ids := []string{"1.1.1", "1.1.2", "2.1"}
	srv, err := fakeserver.New(fakeserver.Config{Cases: ids, OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var log logLines
	d := &driver{base: srv.URL(), agent: "drv", ids: ids, logf: log.logf, progress: newProgress()}
	if err := d.run(t.Context(), notExited, gorillaClient); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !log.contains("without a close frame") {
		t.Errorf("the log does not say how /updateReports ended: %q", log.lines)
	}
	rep, err := ReadReports(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.complete(rep); err != nil {
		t.Errorf("complete: %v", err)
	}
	if len(d.judged) != len(ids) {
		t.Errorf("judged %v; want %v", d.judged, ids)
	}
}

// realEnding is a fuzzing server that ends /updateReports as the real
// fuzzer does: it writes the reports of the cases in written, then drops
// TCP before its handshake's answer leaves.
func realEnding(t *testing.T, dir string, ids, written []string) string {
	up := websocket.Upgrader{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/updateReports" {
			var results []*report.Result
			for _, id := range written {
				results = append(results, &report.Result{Agent: r.URL.Query().Get("agent"), ID: id,
					Behavior: "OK", BehaviorClose: "OK"})
			}
			if err := report.WriteJSON(dir, results); err != nil {
				t.Error(err)
			}
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
			return
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		switch r.URL.Path {
		case "/getCaseCount":
			c.WriteMessage(websocket.TextMessage, []byte(strconv.Itoa(len(ids))))
		case "/getCaseStatus":
			c.WriteMessage(websocket.TextMessage, []byte(`{"behavior": "OK"}`))
		case "/runCase":
			c.WriteMessage(websocket.TextMessage, []byte("Hello"))
			c.ReadMessage()
		}
		c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
		c.ReadMessage()
	})
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return "ws" + strings.TrimPrefix(s.URL, "http")
}

// The real fuzzer's end of /updateReports (TCP ends before the handshake's
// answer) is no error of the driver; the reports then decide: complete when
// they hold every judged case, an error naming the missing ones otherwise.
func TestDriverTakesTheRealFuzzersEndOfUpdateReports(t *testing.T) {
	ids := []string{"1.1.1", "1.1.2", "2.1"}
	for _, tc := range []struct {
		name    string
		written []string
		missing string
	}{
		{"every case written", ids, ""},
		{"cases missing", []string{"1.1.1"}, "lack 2 of the 3 cases the fuzzer judged for \"drv\": 1.1.2, 2.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var log logLines
			d := &driver{base: realEnding(t, dir, ids, tc.written), agent: "drv", ids: ids, logf: log.logf, progress: newProgress()}
			if err := d.run(t.Context(), notExited, gorillaClient); err != nil {
				t.Fatalf("run: %v", err)
			}
			if !log.contains("before the handshake's answer") {
				t.Errorf("the log does not say how /updateReports ended: %q", log.lines)
			}
			rep, err := ReadReports(dir)
			if err != nil {
				t.Fatal(err)
			}
			err = d.complete(rep)
			switch {
			case tc.missing == "" && err != nil:
				t.Errorf("complete: %v", err)
			case tc.missing != "" && (err == nil || !strings.Contains(err.Error(), tc.missing)):
				t.Errorf("complete: %v; want an error naming what is missing: %s", err, tc.missing)
			}
		})
	}
}

// A control connection refused or cut short before TCP was accepted is not
// the fuzzer's way of ending /updateReports.
func TestDriverUpdateReportsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	d := &driver{base: "ws://" + addr, agent: "drv", logf: t.Logf, progress: newProgress()}
	_, err = d.control(t.Context(), "/updateReports", nil, controlTimeout)
	if err == nil || errors.Is(err, errEndedWithoutClose) {
		t.Fatalf("control on a closed port: %v; want a dial error", err)
	}
}
