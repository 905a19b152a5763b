// Package gwspeer is lxzan/gws's echo handler, server and client, apart
// from package echopeer so that modules using only the gorilla and coder
// peers (the container module) do not require gws.
package gwspeer

import (
	"context"
	"net/http"

	"github.com/lxzan/gws"
)

// Echo is lxzan/gws's echo handler: every message goes back with its
// type. Pings get gws's own answer (BuiltinEventHandler: an empty pong);
// PongEcho answers them with their payload instead.
type Echo struct{ gws.BuiltinEventHandler }

// OnMessage echoes m.
func (Echo) OnMessage(socket *gws.Conn, m *gws.Message) {
	defer m.Close()
	_ = socket.WriteMessage(m.Opcode, m.Bytes())
}

// PongEcho is Echo answering a ping with a pong of its payload, which
// gws leaves to the application.
type PongEcho struct{ Echo }

// OnPing answers with the ping's payload.
func (PongEcho) OnPing(socket *gws.Conn, payload []byte) { _ = socket.WritePong(payload) }

// Server is gws's echo server on up: Upgrade, then ReadLoop.
func Server(up *gws.Upgrader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		socket, err := up.Upgrade(w, r)
		if err != nil {
			return
		}
		socket.ReadLoop()
	}
}

// Client is gws's echo client with handler h and options opt (Addr is
// the URL dialled): NewClient, then ReadLoop until the connection or ctx
// ends.
func Client(h gws.Event, opt gws.ClientOption) func(ctx context.Context, url string) error {
	return func(ctx context.Context, url string) error {
		opt := opt
		opt.Addr = url
		socket, _, err := gws.NewClient(h, &opt)
		if err != nil {
			return err
		}
		stop := context.AfterFunc(ctx, func() { socket.NetConn().Close() })
		defer stop()
		socket.ReadLoop()
		return nil
	}
}
