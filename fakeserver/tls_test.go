package fakeserver

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/internal/tlsconf"
)

// hostileTLSClients are clients of a wss:// fuzzing server that never
// make a TLS handshake, and what the refusal must say.
var hostileTLSClients = []struct {
	name string
	dial func(ctx context.Context, url string) error
	want string
}{
	{"garbage instead of a ClientHello", rawClient([]byte("\x16\x03\x01\x00\x05garbagegarbage\r\n\r\n")), "TLS handshake"},
	{"plain HTTP instead of a ClientHello", rawClient([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")), "does not look like a TLS handshake"},
	{"stalled after part of a record header", rawClient([]byte("\x16\x03")), "not completed within the opening handshake timeout"},
	{"stalled before saying anything", rawClient(nil), "not completed within the opening handshake timeout"},
	{"gorilla over plain ws://", func(ctx context.Context, url string) error {
		_, _, err := websocket.DefaultDialer.DialContext(ctx, strings.Replace(url, "wss://", "ws://", 1), nil)
		return err
	}, "TLS handshake"},
}

// rawClient connects TCP, writes p and reads until the server hangs up.
func rawClient(p []byte) func(ctx context.Context, url string) error {
	return func(ctx context.Context, url string) error {
		addr := strings.SplitN(strings.TrimPrefix(url, "wss://"), "/", 2)[0]
		var d net.Dialer
		nc, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		defer nc.Close()
		stop := context.AfterFunc(ctx, func() { nc.Close() })
		defer stop()
		if _, err := nc.Write(p); err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, nc)
		return err
	}
}

// TestHostileTLSClients: a wss:// server refuses peers that speak no TLS
// or stall in the handshake within its opening handshake timeout, and the
// case's error tells why; nothing hangs or leaks.
func TestHostileTLSClients(t *testing.T) {
	cert, err := tlsconf.New()
	if err != nil {
		t.Fatal(err)
	}
	opts := map[string]any{"openHandshakeTimeout": 0.3}
	srv, err := New(Config{Cases: []string{"1.1.1"}, Options: opts, TLS: cert.ServerConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL(), "wss://") {
		t.Fatalf("URL %q, want wss://", srv.URL())
	}
	for _, c := range hostileTLSClients {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			res, err := srv.RunCase(context.Background(), "hostile", "1.1.1", c.dial)
			if res != nil || err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("result %v, err = %v; want no result and an error with %q", res, err, c.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v, want about the opening handshake timeout", d)
			}
		})
	}
}

// TestTLSWithoutCertificate is refused by New.
func TestTLSWithoutCertificate(t *testing.T) {
	srv, err := New(Config{TLS: &tls.Config{}})
	if err == nil {
		srv.Close()
		t.Fatal("a TLS server without a certificate was started")
	}
}
