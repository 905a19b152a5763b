package harness

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Target is a WebSocket server under test: see Handler, URL and URLFunc.
// The methods are the harness's own; a Target comes from those functions.
type Target interface {
	// start makes the server reachable for one case and returns its ws://
	// (or wss://) URL and a function that stops it again.
	start(grace time.Duration) (string, func() error, error)
}

// Handler is a server given as an http.Handler that upgrades to WebSocket
// and echoes every message. Every case gets its own HTTP server on
// 127.0.0.1 and a free port, so parallel Ginkgo processes never collide.
func Handler(h http.Handler) Target { return handlerTarget{h: h} }

// URL is a server already running at a ws:// or wss:// URL (see
// TLSClientConfig for the certificates the fuzzer trusts).
func URL(u string) Target { return urlTarget(func() string { return u }) }

// URLFunc is a server whose ws:// URL is known only once the suite runs
// (started in a BeforeSuite, for instance); f is called for every case.
func URLFunc(f func() string) Target { return urlTarget(f) }

type urlTarget func() string

func (t urlTarget) start(time.Duration) (string, func() error, error) {
	raw := t()
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, fmt.Errorf("harness: server URL %q: %w", raw, err)
	}
	if (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return "", nil, fmt.Errorf("harness: server URL %q: want ws://host:port/path or wss://host:port/path", raw)
	}
	return raw, func() error { return nil }, nil
}

type handlerTarget struct {
	h   http.Handler
	tls *tls.Config // serve over TLS when set
}

// start serves the handler on a fresh listener. stop closes the server and
// waits up to grace for the handler to return: an error means it was still
// running, holding a connection the case had already closed.
func (t handlerTarget) start(grace time.Duration) (string, func() error, error) {
	if t.h == nil {
		return "", nil, errors.New("harness: Handler(nil): no handler given")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("harness: listen for the server under test: %w", err)
	}
	scheme := "ws"
	if t.tls != nil {
		ln, scheme = tls.NewListener(ln, t.tls), "wss"
	}
	var handlers sync.WaitGroup
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers.Add(1)
		defer handlers.Done()
		t.h.ServeHTTP(w, r)
	})}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	stop := func() error {
		_ = srv.Close()
		<-served
		done := make(chan struct{})
		go func() {
			handlers.Wait()
			close(done)
		}()
		select {
		case <-done:
			return nil
		case <-time.After(grace):
			return fmt.Errorf("the server's handler was still running %v after the case ended", grace)
		}
	}
	return scheme + "://" + ln.Addr().String() + "/", stop, nil
}
