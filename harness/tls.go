package harness

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/tlsconf"
	"github.com/wsfuzz/autobahn/internal/wirelog"
	"github.com/wsfuzz/autobahn/report"
)

// TLS runs the cases over TLS with a self-signed certificate made for the
// run (valid for localhost, 127.0.0.1 and ::1):
//
//   - testing a client, the fuzzer listens on wss:// and the ClientFunc
//     is given a wss:// URL; it must trust the certificate, which
//     ClientTLS(ctx) returns as a *tls.Config;
//   - testing a Handler, the handler is served over TLS with that
//     certificate and the fuzzer trusts it.
//
// URL targets choose TLS by their scheme instead; see TLSClientConfig.
func TLS() Option {
	return func(c *Config) {
		cert, err := tlsconf.New()
		if err != nil {
			c.fail("harness: TLS(): %w", err)
			return
		}
		c.cert = cert
	}
}

// TLSClientConfig is the configuration the fuzzer dials wss:// servers
// with (its RootCAs, ServerName for SNI, InsecureSkipVerify...). Without
// it the fuzzer verifies URL targets against the system roots and Handler
// targets under TLS() against the run's own certificate.
func TLSClientConfig(cfg *tls.Config) Option {
	return func(c *Config) {
		if cfg == nil {
			c.fail("harness: TLSClientConfig(nil): no configuration given")
			return
		}
		c.tlsClient = cfg
	}
}

// Subprotocols are the subprotocols the fuzzer offers, in this order, as a
// client (Sec-WebSocket-Protocol), and those it accepts as a server (it
// answers the first one the client offers that is in the list). As a
// client it fails the opening handshake of a server that answers one it
// did not offer, as RFC 6455 section 4.1 demands.
func Subprotocols(protocols ...string) Option {
	return func(c *Config) {
		for _, p := range protocols {
			if !validToken(p) {
				c.fail("harness: Subprotocols: %q is not a valid subprotocol name (an HTTP token)", p)
				return
			}
		}
		c.protocols = protocols
	}
}

// validToken reports whether s is an RFC 7230 token.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return false
		}
	}
	return true
}

// Debug is the mode for stepping through the peer in a debugger: the
// protocol timeouts (opening and closing handshake, server drop, the hard
// limit) and the specs' time limits are off, the cases' own timers stay,
// and every frame sent and received is written to w as it goes, one line
// each: the case, the fuzzer's role, TF (sent) or RF (received) and the
// frame's wire-log entry as JSON ("case 1.1.1 fuzzer-client TF [...]").
func Debug(w io.Writer) Option {
	return func(c *Config) {
		if w == nil {
			c.fail("harness: Debug(nil): no writer given")
			return
		}
		c.debug = &syncWriter{w: w}
	}
}

// syncWriter serialises the lines of connections running at once.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) line(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.w, format, args...)
}

// secure applies the TLS, subprotocol and debug options to o, the engine
// options of case id in role.
func (c *Config) secure(o *engine.Options, role, id string) {
	o.Protocols = c.protocols
	switch {
	case c.tlsClient != nil:
		o.TLS = c.tlsClient
	case c.cert != nil:
		o.TLS = c.cert.ClientConfig()
	}
	if c.debug == nil {
		return
	}
	o.OpenHandshakeTimeout, o.CloseHandshakeTimeout, o.ServerConnectionDropTimeout, o.HardTimeout = 0, 0, 0, 0
	fuzzer := "server" // testing a client, the fuzzer is the server
	if role == RoleServer {
		fuzzer = "client"
	}
	w := c.debug
	o.Trace = func(e wirelog.Entry) {
		b, err := json.Marshal(report.WireEntry(e))
		if err != nil {
			b = []byte(err.Error())
		}
		w.line("case %s fuzzer-%s %s %s\n", id, fuzzer, e.Kind, b)
	}
}

// serverTLS is the fuzzing server's TLS configuration, nil without TLS().
func (c *Config) serverTLS() *tls.Config {
	if c.cert == nil {
		return nil
	}
	return c.cert.ServerConfig()
}

type clientTLSKey struct{}

// ClientTLS is the TLS configuration a ClientFunc must dial its wss:// URL
// with under TLS(): it trusts the run's certificate. It is nil when the
// run is not over TLS (the URL is ws:// then).
func ClientTLS(ctx context.Context) *tls.Config {
	cfg, _ := ctx.Value(clientTLSKey{}).(*tls.Config)
	return cfg
}

// withClientTLS gives a ClientFunc's ctx the configuration ClientTLS returns.
func (c *Config) withClientTLS(ctx context.Context) context.Context {
	if c.cert == nil {
		return ctx
	}
	return context.WithValue(ctx, clientTLSKey{}, c.cert.ClientConfig())
}

// debugLimit is a case's limit in Debug mode: long enough for a session
// in a debugger.
const debugLimit = 24 * time.Hour
