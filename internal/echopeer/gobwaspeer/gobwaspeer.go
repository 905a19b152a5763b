// Package gobwaspeer is gobwas/ws's echo server and client, apart from
// package echopeer so that modules using only the gorilla and coder peers
// (the container module) do not require gobwas.
package gobwaspeer

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// The gobwas/ws peers are written the way its README shows an echo server:
// ws.UpgradeHTTP (ws.Dial for the client), then a loop of
// wsutil.ReadClientData and wsutil.WriteServerMessage (ReadServerData and
// WriteClientMessage for the client). Those helpers answer pings and
// closes through wsutil.ControlFrameHandler and check UTF-8 (text messages
// and close reasons) themselves, so the peers add no check of their own.
// The README's lower-level loop (ws.ReadHeader, ws.WriteHeader) echoes
// frames as they come, unchecked, and is no conforming peer.
//
// On an error (the peer's close, which the helper has answered already, or
// a protocol error) the peers close TCP: failing the connection without a
// close frame is one of the choices RFC 6455 7.1.7 leaves.

// Server is gobwas/ws's echo server, run in the handler's goroutine
// rather than the README's own goroutine so that the fuzzer sees it return.
func Server(w http.ResponseWriter, r *http.Request) {
	conn, brw, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return
	}
	defer conn.Close()
	var rw io.ReadWriter = conn
	if brw != nil && brw.Reader.Buffered() > 0 {
		// Frames the client sent with its request (UpgradeHTTP returns the
		// hijacked buffer only when it holds some).
		rw = readWriter{brw.Reader, conn}
	}
	for {
		msg, op, err := wsutil.ReadClientData(rw)
		if err != nil {
			return
		}
		if err := wsutil.WriteServerMessage(conn, op, msg); err != nil {
			return
		}
	}
}

// Client is gobwas/ws's echo client. ws.Dial returns, besides the
// connection, a reader holding what the server sent after its handshake
// response, nil when it sent nothing yet: the frames are read through it
// (ws.Dial's documentation), else the first of them would be lost.
func Client(ctx context.Context, url string) error {
	conn, br, _, err := ws.Dial(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	var rw io.ReadWriter = conn
	if br != nil {
		defer ws.PutReader(br)
		rw = readWriter{br, conn}
	}
	for {
		msg, op, err := wsutil.ReadServerData(rw)
		if err != nil {
			var closed wsutil.ClosedError
			if errors.As(err, &closed) {
				awaitServerClose(conn, rw)
			}
			return nil
		}
		if err := wsutil.WriteClientMessage(conn, op, msg); err != nil {
			return nil
		}
	}
}

// awaitServerClose waits, after the closing handshake, for the server to
// close the TCP connection (RFC 6455 7.1.1: the client SHOULD wait for the
// server's close), reading what else the server sent, for a second at
// most. gobwas leaves this to the application. A client that closes at
// once with unread octets in its socket makes the kernel reset the
// connection, and the reset can discard the close reply it has just sent
// before the server reads it.
func awaitServerClose(conn net.Conn, r io.Reader) {
	conn.SetReadDeadline(time.Now().Add(time.Second))
	io.Copy(io.Discard, r)
}

// readWriter reads from a buffered reader over a connection and writes to
// the connection: the helpers write their answers to pings and closes to
// what they read from.
type readWriter struct {
	*bufio.Reader
	net.Conn
}

func (rw readWriter) Read(p []byte) (int, error)  { return rw.Reader.Read(p) }
func (rw readWriter) Write(p []byte) (int, error) { return rw.Conn.Write(p) }
