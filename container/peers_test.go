package container

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/gorilla/websocket"
)

// readLimit is the read limit of the echo peers, as in the oracle runs.
const readLimit = 64 << 20

// gorillaHandler is gorilla/websocket's echo server as the oracle ran it:
// every message echoed with its type through NextReader and NextWriter.
func gorillaHandler(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetReadLimit(readLimit)
	for {
		mt, rd, err := conn.NextReader()
		if err != nil {
			return
		}
		wr, err := conn.NextWriter(mt)
		if err != nil {
			return
		}
		if _, err := io.Copy(wr, rd); err != nil {
			return
		}
		if err := wr.Close(); err != nil {
			return
		}
	}
}

// gorillaClient is gorilla/websocket's echo client as the oracle ran it:
// ReadMessage, WriteMessage, until the connection ends.
func gorillaClient(ctx context.Context, url string) error {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetReadLimit(readLimit)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return nil
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return nil
		}
	}
}

// startGorillaServer serves gorillaHandler on 127.0.0.1 and returns its URL
// and a function that stops it.
func startGorillaServer() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(gorillaHandler)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return "ws://" + ln.Addr().String() + "/", func() { srv.Close(); <-done }, nil
}

// gorillaServer is startGorillaServer for a test.
func gorillaServer(t *testing.T) string {
	t.Helper()
	url, stop, err := startGorillaServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}
