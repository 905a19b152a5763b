package fakeserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
)

// listenTLS wraps ln to make the TLS handshake with every connection; it
// closes ln when cfg has no certificate.
func listenTLS(ln net.Listener, cfg *tls.Config) (net.Listener, error) {
	if len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil {
		_ = ln.Close()
		return nil, errors.New("fakeserver: TLS configuration without a certificate")
	}
	return tls.NewListener(ln, cfg), nil
}

// handshakeTLS makes the TLS handshake of a connection from a TLS listener
// before the WebSocket handshake, bounded by the opening handshake timeout
// when there is one (and by the server's life), so that a peer that speaks
// plain TCP, sends garbage or stalls ends with a reason of its own.
func (s *Server) handshakeTLS(nc net.Conn) error {
	tc, ok := nc.(*tls.Conn)
	if !ok {
		return nil
	}
	ctx := s.ctx
	if d := s.opts.OpenHandshakeTimeout; d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	if err := tc.HandshakeContext(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("TLS handshake with %s not completed within the opening handshake timeout of %v", nc.RemoteAddr(), s.opts.OpenHandshakeTimeout)
		}
		return fmt.Errorf("TLS handshake with %s failed: %w", nc.RemoteAddr(), err)
	}
	return nil
}
