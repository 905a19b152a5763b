package fakeclient

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/timebound"
	"github.com/wsfuzz/autobahn/report"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// flakyServer never answers the first handshake, then echoes.
func flakyServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	up := websocket.Upgrader{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done() // hang: no answer
			return
		}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			mt, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if conn.WriteMessage(mt, msg) != nil {
				return
			}
		}
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "ws://" + ln.Addr().String() + "/"
}

func TestRunGoesOnAfterHandshakeTimeout(t *testing.T) {
	opts := map[string]any{"openHandshakeTimeout": 0.3}
	ids, _ := cases.Resolve([]string{"1.1.1", "1.1.2", "2.1"}, nil)
	var seen []string
	start := time.Now()
	res, err := Run(context.Background(), Config{URL: flakyServer(t), Agent: "flaky", Cases: ids, Options: opts,
		Progress: func(n, total int, r *report.Result) { seen = append(seen, r.ID) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || len(seen) != 3 {
		t.Fatalf("%d results, %d progress calls; want 3", len(res), len(seen))
	}
	first := res[0]
	if first.Behavior != "FAILED" || first.BehaviorClose != "FAILED" || !first.WasOpenHandshakeTimeout ||
		first.ResultClose != "The WebSocket opening handshake was never completed!" {
		t.Errorf("first case: %s / %s %q timeout %v", first.Behavior, first.BehaviorClose, first.ResultClose, first.WasOpenHandshakeTimeout)
	}
	for _, r := range res[1:] {
		if r.Behavior != "OK" || r.BehaviorClose != "OK" {
			t.Errorf("case %s after the hang: %s / %s", r.ID, r.Behavior, r.BehaviorClose)
		}
		if r.Case != cases.Index(r.ID) || r.IsServer {
			t.Errorf("case %s: number %d, isServer %v", r.ID, r.Case, r.IsServer)
		}
	}
	if el, limit := time.Since(start), 300*time.Millisecond+timebound.Scale(t, 2700*time.Millisecond); el > limit {
		t.Errorf("run took %v, more than its 300ms timeout allows (%v)", el, limit)
	}
}

func TestUnreachableServer(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err := RunCase(context.Background(), "ws://"+addr, "", "1.1.1", nil)
	if err == nil {
		t.Fatal("want a connect error")
	}
}

func TestAgentFromServerHeader(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, http.Header{"Server": {"Echo/2.0"}})
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()
	r, err := RunCase(context.Background(), "ws://"+ln.Addr().String(), "", "2.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Agent != "Echo/2.0" {
		t.Fatalf("agent %q, want the Server header", r.Agent)
	}
}

// The fuzzing client plays the section H cases that test servers and
// leaves out those that test clients; given only those, it refuses.
func TestRunLeavesOutClientCases(t *testing.T) {
	url, stop, err := echopeer.Serve(http.HandlerFunc(echopeer.GorillaServer))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	res, err := Run(context.Background(), Config{URL: url, Agent: "g", Cases: []string{"H.1.1", "H.4.1", "H.2.7"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res {
		got = append(got, r.ID)
	}
	if len(got) != 2 || got[0] != "H.1.1" || got[1] != "H.2.7" {
		t.Errorf("played %v, want H.1.1 and H.2.7", got)
	}
	if _, err := Run(context.Background(), Config{URL: url, Cases: []string{"H.4.1"}}); err == nil {
		t.Error("a run of client cases only was not refused")
	}
	if _, err := RunCase(context.Background(), url, "g", "H.4.1", nil); err == nil {
		t.Error("RunCase of a client case was not refused")
	}
}
