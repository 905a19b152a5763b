package engine

import (
	"context"
	"fmt"
	"net"
	"net/url"
)

// RunServer runs the server side of one connection until TCP is lost. route
// picks the handler once the request is read. Cancelling ctx drops the
// connection.
func RunServer(ctx context.Context, nc net.Conn, opts Options, route Router) *Conn {
	c := newConn(nc, opts, true)
	c.route = route
	c.run(ctx, func() {})
	return c
}

// RunClient connects to a ws:// or wss:// URL and runs the client side of one
// connection with h until TCP is lost. It fails only when TCP (and TLS, for
// wss://) cannot be connected; everything after that is recorded in the Conn.
func RunClient(ctx context.Context, rawurl string, opts Options, h Handler) (*Conn, error) {
	u, err := url.Parse(rawurl)
	if err != nil {
		return nil, fmt.Errorf("engine: bad URL %q: %w", rawurl, err)
	}
	nc, err := dial(ctx, u, opts)
	if err != nil {
		return nil, fmt.Errorf("engine: connect to %s: %w", rawurl, err)
	}
	return RunConn(ctx, nc, u, opts, h), nil
}

// RunConn runs the client side on an established connection nc.
func RunConn(ctx context.Context, nc net.Conn, u *url.URL, opts Options, h Handler) *Conn {
	c := newConn(nc, opts, false)
	c.handler = h
	c.client = newClientHandshake(u)
	c.run(ctx, c.startClientHandshake)
	return c
}
