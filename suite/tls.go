package suite

import (
	"context"
	"crypto/tls"
	"io"

	"github.com/wsfuzz/autobahn/harness"
)

// TLS runs the cases over TLS with a self-signed certificate made for the
// registration: a client under test is given a wss:// URL and must dial it
// with ClientTLS(ctx); a Handler is served over TLS (as httptest's TLS
// server does) and the fuzzer trusts the certificate. URL targets choose
// TLS by their scheme; see TLSClientConfig.
func TLS() Option { return harness.TLS() }

// ClientTLS is the configuration a ClientFunc dials its wss:// URL with
// under TLS(): it trusts the run's certificate. Nil without TLS().
func ClientTLS(ctx context.Context) *tls.Config { return harness.ClientTLS(ctx) }

// TLSClientConfig is the configuration the fuzzer dials wss:// servers
// with (RootCAs for a self-signed server, ServerName for SNI); the default
// verifies URL targets against the system roots.
func TLSClientConfig(cfg *tls.Config) Option { return harness.TLSClientConfig(cfg) }

// Subprotocols are the subprotocols the fuzzer offers as a client and
// accepts as a server; a server answering one never offered fails the
// opening handshake (RFC 6455 section 4.1).
func Subprotocols(protocols ...string) Option { return harness.Subprotocols(protocols...) }

// Debug switches off the protocol timeouts (opening and closing handshake,
// server drop) and the specs' time limits, keeps the cases' own timers, and
// writes every frame to w as it goes: for stepping through the peer in a
// debugger (see docs/wstest.md, "Debug mode").
func Debug(w io.Writer) Option { return harness.Debug(w) }
