package suite

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// TestTLSEntryPoints: suite's TLS options over the public API: a Handler
// served over TLS, a client dialing wss:// with ClientTLS(ctx), and a
// running self-signed wss:// server given by URL, trusted through
// TLSClientConfig and refused with the system roots.
func TestTLSEntryPoints(t *testing.T) {
	ctx := context.Background()
	res, err := RunServer(ctx, "gorilla", Handler(gorillaServer), "1.1.2", TLS())
	if err != nil || res.Behavior != "OK" {
		t.Errorf("Handler over TLS: %v, %v", res, err)
	}
	client := func(ctx context.Context, url string) error {
		if !strings.HasPrefix(url, "wss://") {
			t.Errorf("the client was given %q, want a wss:// URL", url)
		}
		d := *websocket.DefaultDialer
		d.TLSClientConfig = ClientTLS(ctx)
		return echopeer.GorillaClientWith(&d)(ctx, url)
	}
	if res, err := RunClient(ctx, "gorilla", client, "1.1.2", TLS()); err != nil || res.Behavior != "OK" {
		t.Errorf("client over TLS: %v, %v", res, err)
	}
	srv := httptest.NewUnstartedServer(gorillaServer)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused certificate is the point
	srv.StartTLS()
	defer srv.Close()
	url := "wss://" + strings.TrimPrefix(srv.URL, "https://") + "/"
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	if res, err := RunServer(ctx, "gorilla", URL(url), "1.1.2", TLSClientConfig(&tls.Config{RootCAs: pool})); err != nil || res.Behavior != "OK" {
		t.Errorf("URL(wss://) with its CA: %v, %v", res, err)
	}
	if _, err := RunServer(ctx, "gorilla", URL(url), "1.1.2"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("URL(wss://) of a self-signed server with the system roots: err = %v, want the certificate error", err)
	}
}
