package tlsconf

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSelfSignedHandshake: a client trusting one certificate completes a
// handshake with it for 127.0.0.1 and refuses another certificate.
func TestSelfSignedHandshake(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		server *Cert
		ok     bool
	}{{a, true}, {b, false}} {
		ln, err := tls.Listen("tcp", "127.0.0.1:0", tc.server.ServerConfig())
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			if sc, err := ln.Accept(); err == nil {
				_ = sc.(*tls.Conn).Handshake()
				sc.Close()
			}
		}()
		conn, err := tls.Dial("tcp", ln.Addr().String(), a.ClientConfig())
		if err == nil {
			conn.Close()
		}
		<-done
		ln.Close()
		if (err == nil) != tc.ok {
			t.Errorf("handshake with certificate %v: err = %v", tc.server == a, err)
		}
	}
}

// TestFilesNameTheProblem: the file loaders' errors name the file.
func TestFilesNameTheProblem(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := c.WriteCA(ca); err != nil {
		t.Fatal(err)
	}
	if _, err := ClientCA(ca); err != nil {
		t.Errorf("ClientCA of a written CA: %v", err)
	}
	key := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(key, c.KeyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ServerFiles(ca, key); err != nil {
		t.Errorf("ServerFiles: %v", err)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{second(ServerFiles(ca, "")), "without a key"},
		{second(ServerFiles("", key)), "without a certificate"},
		{second(ServerFiles(key, ca)), "key.pem"},
		{second(ClientCA(key)), "no PEM certificate"},
		{second(ClientCA(filepath.Join(dir, "none"))), "none"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("err = %v, want it to contain %q", tc.err, tc.want)
		}
	}
}

func second(_ *tls.Config, err error) error { return err }
