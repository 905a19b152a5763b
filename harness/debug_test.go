package harness

import (
	"errors"

	"bytes"
	"context"
	"github.com/wsfuzz/autobahn/fakeclient"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// mute upgrades and then reads without ever answering: no echo, no close
// reply, no TCP close.
func mute(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	_, _ = io.Copy(io.Discard, c.UnderlyingConn())
}

// TestDebugSwitchesOffProtocolTimeouts: against a server that never
// answers the close, the fuzzer gives up after its close handshake timeout
// normally, and in debug mode waits (here until the test's own deadline)
// with the frames printed as they went.
func TestDebugSwitchesOffProtocolTimeouts(t *testing.T) {
	var trace bytes.Buffer
	for _, debug := range []bool{false, true} {
		opts := []Option{Cases("1.1.1")}
		if debug {
			opts = append(opts, Debug(&trace))
		}
		r, err := Server("mute", Handler(http.HandlerFunc(mute)), opts...)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		res, _, err := r.Play(ctx, "1.1.1", Seed{})
		cancel()
		// in debug mode nothing ends the case but the test's deadline, and
		// a case cut short so is not judged
		var cut *fakeclient.CancelError
		switch {
		case debug && !errors.As(err, &cut):
			t.Errorf("debug: got %v, want the case cut short by the deadline", err)
		case !debug && err != nil:
			t.Fatal(err)
		case !debug && !res.WasCloseHandshakeTimeout:
			t.Errorf("without debug: no close handshake timeout")
		}
	}
	// 1.1.1 sends an empty text message; its own kill timer (kept in debug
	// mode) then fails the connection with a close 1001 "Going Away".
	for _, want := range []string{"case 1.1.1 fuzzer-client TF [\"TF\",[0,\"\"],1,true", "case 1.1.1 fuzzer-client TF [\"TF\",[12,\"0x03e9476f696e672041776179\"],8,true"} {
		if !strings.Contains(trace.String(), want) {
			t.Errorf("trace lacks %q", want)
		}
	}
	if r, _ := Server("x", Handler(http.HandlerFunc(echopeer.GorillaServer)), Debug(io.Discard)); r.Limit(nil) < time.Hour {
		t.Errorf("a spec's limit in debug mode is %v, want hours", r.Limit(nil))
	}
}
