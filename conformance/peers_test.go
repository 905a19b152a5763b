package conformance

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"
)

// readLimit is the read limit of every echo peer, as in the oracle runs.
const readLimit = 64 << 20

// Echo servers and clients built on real libraries with their defaults, as
// the oracle runs used them.

func gorillaServer(w http.ResponseWriter, r *http.Request) {
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

func coderServer(w http.ResponseWriter, r *http.Request) {
	conn, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	defer conn.CloseNow()
	conn.SetReadLimit(readLimit)
	ctx := r.Context()
	for {
		mt, rd, err := conn.Reader(ctx)
		if err != nil {
			return
		}
		wr, err := conn.Writer(ctx, mt)
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

func coderClient(ctx context.Context, url string) error {
	conn, _, err := coder.Dial(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.CloseNow()
	conn.SetReadLimit(readLimit)
	for {
		mt, msg, err := conn.Read(ctx)
		if err != nil {
			return nil
		}
		if err := conn.Write(ctx, mt, msg); err != nil {
			return nil
		}
	}
}

// serve runs handler on 127.0.0.1 until the test ends and returns its ws URL.
func serve(t testing.TB, handler http.HandlerFunc) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("echo server: %v", err)
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return "ws://" + ln.Addr().String() + "/"
}
