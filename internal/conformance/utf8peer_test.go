package conformance

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
	"github.com/wsfuzz/autobahn/report"
)

// Hand-made echo peers that validate the UTF-8 of text messages themselves
// (gorilla only frames; it does not validate): one fails the connection at
// the first octet that cannot be valid, as each piece of a message arrives,
// the other only once the message is complete. 6.x must pass with both,
// except 6.4.x, which tell them apart: OK for the first, NON-STRICT for the
// second.

// echoUTF8 echoes messages on conn until it ends, failing the connection
// with 1007 on invalid UTF-8: at once when failFast, else at message end.
func echoUTF8(conn *websocket.Conn, failFast bool) {
	conn.SetReadLimit(readLimit)
	buf := make([]byte, 4096)
	for {
		mt, rd, err := conn.NextReader()
		if err != nil {
			return
		}
		var v utf8stream.Validator
		var msg []byte
		for {
			n, err := rd.Read(buf)
			msg = append(msg, buf[:n]...)
			if mt == websocket.TextMessage && failFast && !v.Write(buf[:n]) {
				failInvalid(conn)
				return
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return
			}
		}
		if mt == websocket.TextMessage && !utf8stream.Valid(msg) {
			failInvalid(conn)
			return
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return
		}
	}
}

// failInvalid sends a close with 1007 and waits (briefly) for the answer.
func failInvalid(conn *websocket.Conn) {
	deadline := time.Now().Add(2 * time.Second)
	if err := conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, ""), deadline); err != nil {
		return
	}
	_ = conn.SetReadDeadline(deadline)
	for {
		if _, _, err := conn.NextReader(); err != nil {
			return
		}
	}
}

func utf8Server(failFast bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		echoUTF8(conn, failFast)
	}
}

func utf8Client(failFast bool) fakeserver.ClientFunc {
	return func(ctx context.Context, url string) error {
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
		if err != nil {
			return err
		}
		defer conn.Close()
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		defer stop()
		echoUTF8(conn, failFast)
		return nil
	}
}

// TestUTF8FailFast runs 6.x against both hand-made peers in both roles.
func TestUTF8FailFast(t *testing.T) {
	t.Parallel()
	ids, err := cases.Resolve([]string{"6.*"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, peer := range []struct {
		name      string
		failFast  bool
		failFastV string // the verdict of 6.4.x
	}{{"fail-fast", true, "OK/OK"}, {"at-message-end", false, "NON-STRICT/OK"}} {
		want := func(id string) string {
			if strings.HasPrefix(id, "6.4.") {
				return peer.failFastV
			}
			return "OK/OK"
		}
		t.Run(peer.name+"/server", func(t *testing.T) {
			t.Parallel()
			url := serve(t, utf8Server(peer.failFast))
			runAll(t, ids, want, func(id string) (*report.Result, error) {
				return fakeclient.RunCase(context.Background(), url, peer.name, id, nil)
			})
		})
		t.Run(peer.name+"/client", func(t *testing.T) {
			t.Parallel()
			srv, err := fakeserver.New(fakeserver.Config{Cases: ids})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			runAll(t, ids, want, func(id string) (*report.Result, error) {
				r, err := srv.RunCase(context.Background(), peer.name, id, utf8Client(peer.failFast))
				if r != nil {
					err = nil // the client's own error is judged in the result
				}
				return r, err
			})
		})
	}
}

// runAll runs the cases, those with pauses (6.4.x) side by side with the
// others, and checks each verdict.
func runAll(t *testing.T, ids []string, want func(string) string, run func(string) (*report.Result, error)) {
	t.Helper()
	var wg sync.WaitGroup
	check := func(id string) {
		r, err := run(id)
		if err != nil {
			t.Errorf("case %s: %v", id, err)
			return
		}
		if got := string(r.Behavior + "/" + r.BehaviorClose); got != want(id) {
			t.Errorf("case %s: got %s (%s; %s), want %s", id, got, r.Result, r.ResultClose, want(id))
		}
	}
	for _, id := range ids {
		if strings.HasPrefix(id, "6.4.") {
			wg.Go(func() { check(id) })
			continue
		}
		check(id)
	}
	wg.Wait()
}
