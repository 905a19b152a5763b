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
	msg, err := Run(context.Background(), seed, true, Bound(DefaultBound),
		func(ctx context.Context, s script.Script, bound time.Duration) (Result, error) {
			return Server(ctx, masking, s, bound)
		})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`rule "masking" (RFC 6455 5.1, 5.3)`, "1. text frame FIN, payload 125 octets", "text frame FIN masked", "TX", "RX"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q:\n%s", want, msg)
		}
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
		msg, err := Run(context.Background(), nil, true, bound,
			func(ctx context.Context, s script.Script, bound time.Duration) (Result, error) {
				return Server(ctx, tt.h, s, bound)
			})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(msg, `rule "hang"`); got != tt.hang {
			t.Errorf("%s: hang reported %v, want %v:\n%s", tt.name, got, tt.hang, msg)
		}
	}
}
