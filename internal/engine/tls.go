package engine

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
)

// defaultPort is the port of a ws:// or wss:// URL without one.
func defaultPort(scheme string) string {
	if scheme == "wss" {
		return "443"
	}
	return "80"
}

// dial connects TCP to u's host, and for wss:// makes the TLS handshake
// with opts.TLS (SNI from the URL's host unless it names a server), both
// bounded by the opening handshake timeout when there is one.
func dial(ctx context.Context, u *url.URL, opts Options) (net.Conn, error) {
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return nil, fmt.Errorf("scheme %q: want ws or wss", u.Scheme)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), defaultPort(u.Scheme))
	}
	if opts.OpenHandshakeTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.OpenHandshakeTimeout)
		defer cancel()
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil || u.Scheme == "ws" {
		return nc, err
	}
	cfg := &tls.Config{}
	if opts.TLS != nil {
		cfg = opts.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = u.Hostname()
	}
	tc := tls.Client(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = nc.Close()
		if errors.Is(err, context.DeadlineExceeded) && opts.OpenHandshakeTimeout > 0 {
			return nil, fmt.Errorf("TLS handshake not completed within the opening handshake timeout of %v", opts.OpenHandshakeTimeout)
		}
		return nil, fmt.Errorf("TLS handshake: %w", err)
	}
	return tc, nil
}

// Scheme is the URL scheme of the connection: "wss" when it runs over TLS
// (a wss:// URL dialed, or a connection from a TLS listener), else "ws".
func (c *Conn) Scheme() string {
	if _, ok := c.nc.(*tls.Conn); ok {
		return "wss"
	}
	return "ws"
}
