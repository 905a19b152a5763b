package play

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// TestFuzzMessage checks what a failing run shows: the rule with its RFC
// section, the script in words, the peer's frames and the wire log.
func TestFuzzMessage(t *testing.T) {
	up := websocket.Upgrader{}
	masking := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				return
			}
			// A server's frame with the mask bit set (RFC 6455 5.1).
			conn.UnderlyingConn().Write(append([]byte{0x81, 0x80 | byte(len(msg)), 0, 0, 0, 0}, msg...))
		}
	})
	var seed []byte
	for _, sd := range script.Seeds() {
		if sd.Name == "case_1_1_2" {
			seed = script.Encode(sd.Script)
		}
	}
	out, err := Run(context.Background(), seed, true, Bound(DefaultBound),
		func(ctx context.Context, s script.Script, bound time.Duration) (Result, error) {
			return Server(ctx, masking, s, bound)
		})
	if err != nil {
		t.Fatal(err)
	}
	msg := out.Report
	for _, want := range []string{`rule "masking" (RFC 6455 5.1, 5.3)`, "1. text frame FIN, payload 125 octets", "text frame FIN masked", "TX", "RX"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
	}
}

// maskingServer answers every message with a masked text frame, which a
// server must not send (RFC 6455 5.1), and then, if hang, never closes.
func maskingServer(hang bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				if hang {
					io.Copy(io.Discard, conn.UnderlyingConn())
				}
				return
			}
			conn.UnderlyingConn().Write(append([]byte{0x81, 0x80 | byte(len(msg)), 0, 0, 0, 0}, msg...))
		}
	})
}

// TestRunKnown checks that a rule declared known is reported but does not
// fail a run, that an undeclared one still does, and that a failing run
// lists the known findings it showed too.
func TestRunKnown(t *testing.T) {
	in := script.Encode(script.Script{Actions: []script.Action{{Opcode: 1, Fin: true, Length: 3}}})
	play := func(h http.Handler, bound time.Duration, known ...oracle.Rule) Outcome {
		t.Helper()
		out, err := Run(context.Background(), in, true, bound, func(ctx context.Context, s script.Script, bound time.Duration) (Result, error) {
			return Server(ctx, h, s, bound)
		}, known...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	bound := Bound(DefaultBound)
	if out := play(maskingServer(false), bound, oracle.RuleMasking); out.Report != "" || len(out.Known) != 1 || out.Known[0].Rule != oracle.RuleMasking {
		t.Errorf("masking declared known: report %q, known %v; want no report, the masking failure known", out.Report, out.Known)
	}
	if out := play(maskingServer(false), bound, oracle.RulePong); !strings.Contains(out.Report, `rule "masking"`) || len(out.Known) != 0 {
		t.Errorf("pong declared known: report %q, known %v; want the masking failure reported", out.Report, out.Known)
	}
	out := play(maskingServer(true), 20*time.Millisecond, oracle.RuleMasking)
	want := []string{`rule "hang"`, "known findings in this run too", `rule "masking"`}
	for _, w := range want {
		if !strings.Contains(out.Report, w) {
			t.Errorf("a server that masks and hangs, masking known: the report lacks %q:\n%s", w, out.Report)
		}
	}
	if i, j := strings.Index(out.Report, `rule "hang"`), strings.Index(out.Report, `rule "masking"`); i < 0 || j < i {
		t.Errorf("the new failure (hang) should come before the known one (masking):\n%s", out.Report)
	}
}

// TestFuzzConfirmsHangs checks that a hang counts only when a second run
// with ten times the bound hangs too: a server slow once passes, one that
// never closes fails.
func TestFuzzConfirmsHangs(t *testing.T) {
	bound := 20 * time.Millisecond
	var runs atomic.Int32
	slowOnce := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if runs.Add(1) == 1 {
			time.Sleep(3 * bound)
		}
		echopeer.GorillaServerUTF8(w, r)
	})
	never := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		io.Copy(io.Discard, conn.UnderlyingConn()) // reads until the fuzzer closes
	})
	for _, tt := range []struct {
		name string
		h    http.Handler
		hang bool
	}{{"slow once", slowOnce, false}, {"never closes", never, true}} {
		out, err := Run(context.Background(), nil, true, bound,
			func(ctx context.Context, s script.Script, bound time.Duration) (Result, error) {
				return Server(ctx, tt.h, s, bound)
			})
		if err != nil {
			t.Fatal(err)
		}
		msg := out.Report
		if got := strings.Contains(msg, `rule "hang"`); got != tt.hang {
			t.Errorf("%s: hang reported %v, want %v:\n%s", tt.name, got, tt.hang, msg)
		}
	}
}
