package fakeclient

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// hostileServer accepts TCP on 127.0.0.1 and does serve with every
// connection; it returns the address.
func hostileServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				serve(nc)
			}()
		}
	}()
	return ln.Addr().String()
}

// stall reads until the fuzzer hangs up, answering nothing.
func stall(nc net.Conn) {
	buf := make([]byte, 1024)
	for {
		if _, err := nc.Read(buf); err != nil {
			return
		}
	}
}

// TestHostileTLSServers: dialing wss:// a server that answers no TLS, or
// stalls, ends with an error naming the TLS handshake within the opening
// handshake timeout; never a hang.
func TestHostileTLSServers(t *testing.T) {
	plain, stopPlain, err := echopeer.Serve(http.HandlerFunc(echopeer.GorillaServer))
	if err != nil {
		t.Fatal(err)
	}
	defer stopPlain()
	for _, c := range []struct {
		name, url, want string
	}{
		{"plain ws:// server", strings.Replace(plain, "ws://", "wss://", 1), "TLS handshake"},
		{"garbage instead of a ServerHello", "wss://" + hostileServer(t, func(nc net.Conn) {
			nc.Write([]byte("\x16\x03\x03\x00\x04junkjunkjunk"))
			stall(nc)
		}) + "/", "TLS handshake"},
		{"stalled handshake", "wss://" + hostileServer(t, stall) + "/", "not completed within the opening handshake timeout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := map[string]any{"openHandshakeTimeout": 0.3}
			start := time.Now()
			res, err := RunCase(context.Background(), c.url, "hostile", "1.1.1", opts)
			if res != nil || err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("result %v, err = %v; want an error with %q", res, err, c.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v, want about the opening handshake timeout", d)
			}
		})
	}
}

// TestPlainClientAgainstTLSServer: a ws:// URL pointing at a TLS server
// gets Go's HTTP 400 answer and a verdict, the failed opening handshake.
func TestPlainClientAgainstTLSServer(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(echopeer.GorillaServer))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the 400 is the point
	srv.StartTLS()
	defer srv.Close()
	res, err := RunCase(context.Background(), "ws://"+strings.TrimPrefix(srv.URL, "https://"), "tls-server", "1.1.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Behavior != "FAILED" || res.WasNotCleanReason == nil || !strings.Contains(*res.WasNotCleanReason, "400") {
		t.Fatalf("behavior %s, reason %v; want FAILED for the HTTP 400 of a TLS server", res.Behavior, res.WasNotCleanReason)
	}
}
