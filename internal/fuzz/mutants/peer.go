package mutants

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// behaviour is how a mutant departs from a correct echo peer.
type behaviour struct {
	fault fault
	// echo returns what to echo for message msg (nil: msg itself).
	echo func(t *tap, mt int, msg []byte) []byte
	// pong returns the payload of the pong for a ping (nil: the ping's).
	pong func(t *tap, ping string) string
	// noCloseReply drops the connection on a close frame instead of
	// answering it.
	noCloseReply bool
}

// readLimit is the read limit of the mutants, as of the echo peers.
const readLimit = 64 << 20

// serve runs the echo loop of a gorilla connection read through t.
func (b behaviour) serve(conn *websocket.Conn, t *tap) {
	defer conn.Close()
	conn.SetReadLimit(readLimit)
	if b.pong != nil {
		conn.SetPingHandler(func(s string) error {
			err := conn.WriteControl(websocket.PongMessage, []byte(b.pong(t, s)), time.Now().Add(time.Second))
			if errors.Is(err, websocket.ErrCloseSent) {
				return nil
			}
			return err
		})
	}
	if b.noCloseReply {
		conn.SetCloseHandler(func(int, string) error { return nil })
	}
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
		if b.echo != nil {
			msg = b.echo(t, mt, msg)
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return
		}
	}
}

// server is the mutant as an echo server.
func (b behaviour) server() http.HandlerFunc {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	return func(w http.ResponseWriter, r *http.Request) {
		hw := &tapWriter{ResponseWriter: w, fault: b.fault}
		conn, err := up.Upgrade(hw, r, nil)
		if err != nil {
			return
		}
		b.serve(conn, hw.tap)
	}
}

// client is the mutant as an echo client.
func (b behaviour) client() func(ctx context.Context, url string) error {
	return func(ctx context.Context, url string) error {
		var t *tap
		d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			t = &tap{Conn: c, fault: b.fault, response: true}
			return t, nil
		}}
		conn, _, err := d.DialContext(ctx, url, nil)
		if err != nil {
			return err
		}
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		defer stop()
		b.serve(conn, t)
		return nil
	}
}

// tapWriter hands gorilla a tapped connection when it hijacks.
type tapWriter struct {
	http.ResponseWriter
	fault fault
	tap   *tap
}

// Hijack hijacks the underlying connection and wraps it in a tap, with a
// reader of its own over the tap (nothing is buffered before the upgrade).
func (w *tapWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("mutants: the response writer cannot hijack")
	}
	c, brw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.tap = &tap{Conn: c, fault: w.fault}
	return w.tap, bufio.NewReadWriter(bufio.NewReader(w.tap), brw.Writer), nil
}
