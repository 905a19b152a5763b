// Package echopeer holds the echo peers of real WebSocket libraries that our
// tests run the fuzzer against, built as the real fuzzer's reference runs
// (../shared/oracle) built them: library defaults, every message echoed with
// its type, read limits of 64 MiB.
package echopeer

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"
	"unicode/utf8"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"
)

// ReadLimit is the read limit of every echo peer.
const ReadLimit = 64 << 20

// GorillaServer is gorilla/websocket's echo server: NextReader, NextWriter.
func GorillaServer(w http.ResponseWriter, r *http.Request) {
	GorillaServerWith(websocket.Upgrader{})(w, r)
}

// GorillaServerWith is GorillaServer with an upgrader of one's own (such as
// one with compression on); origins are not checked.
func GorillaServerWith(up websocket.Upgrader) http.HandlerFunc {
	up.CheckOrigin = func(*http.Request) bool { return true }
	return func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetReadLimit(ReadLimit)
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
}

// GorillaServerUTF8 is gorilla's echo server with the UTF-8 check gorilla
// leaves to the application (as its own Autobahn example has it): whole
// messages (ReadMessage), and a text message that is not valid UTF-8 fails
// the connection with close code 1007.
func GorillaServerUTF8(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetReadLimit(ReadLimit)
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if mt == websocket.TextMessage && !utf8.Valid(msg) {
			closing := websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, "")
			conn.WriteControl(websocket.CloseMessage, closing, time.Now().Add(time.Second))
			return
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return
		}
	}
}

// GorillaServerAsBinary is gorilla's echo server with a deliberate
// regression, for the tests of baselines: it echoes every message as a
// binary one.
func GorillaServerAsBinary(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil || conn.WriteMessage(websocket.BinaryMessage, msg) != nil {
			return
		}
	}
}

// GorillaClient is gorilla/websocket's echo client: ReadMessage,
// WriteMessage, until the connection ends or ctx is done.
func GorillaClient(ctx context.Context, url string) error {
	return GorillaClientWith(websocket.DefaultDialer)(ctx, url)
}

// GorillaClientWith is GorillaClient with a dialer of one's own (such as
// one with a TLS configuration).
func GorillaClientWith(d *websocket.Dialer) func(ctx context.Context, url string) error {
	return func(ctx context.Context, url string) error { return gorillaEcho(ctx, d, url) }
}

func gorillaEcho(ctx context.Context, d *websocket.Dialer, url string) error {
	conn, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetReadLimit(ReadLimit)
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

// CoderServer is coder/websocket's echo server: Reader, Writer.
func CoderServer(w http.ResponseWriter, r *http.Request) {
	CoderServerWith(coder.AcceptOptions{})(w, r)
}

// CoderServerWith is CoderServer with accept options (such as a
// compression mode); origins are not checked.
func CoderServerWith(opts coder.AcceptOptions) http.HandlerFunc {
	opts.InsecureSkipVerify = true
	return func(w http.ResponseWriter, r *http.Request) {
		conn, err := coder.Accept(w, r, &opts)
		if err != nil {
			return
		}
		defer conn.CloseNow()
		conn.SetReadLimit(ReadLimit)
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
}

// CoderClient is coder/websocket's echo client: Read, Write.
func CoderClient(ctx context.Context, url string) error {
	return CoderClientWith(coder.DialOptions{})(ctx, url)
}

// CoderClientWith is CoderClient with dial options.
func CoderClientWith(opts coder.DialOptions) func(ctx context.Context, url string) error {
	return func(ctx context.Context, url string) error {
		conn, _, err := coder.Dial(ctx, url, &opts)
		if err != nil {
			return err
		}
		defer conn.CloseNow()
		conn.SetReadLimit(ReadLimit)
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
}

// Serve runs handler on 127.0.0.1 and a free port. It returns the ws://
// URL and a function that stops the server and waits for it.
func Serve(handler http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: handler}
	done := make(chan error, 1)
	go func() {
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		done <- err
	}()
	return "ws://" + ln.Addr().String() + "/", func() {
		srv.Close()
		<-done
	}, nil
}
