package autobahntest

import (
	"net/http"

	"github.com/wsfuzz/autobahn/harness"
)

// ClientFunc is a WebSocket client under test: it dials url, echoes every
// message it receives until the connection closes, and returns. It should
// give up when ctx is done.
type ClientFunc = harness.ClientFunc

// Target is a WebSocket server under test: see Handler, URL and URLFunc.
type Target = harness.Target

// Handler is a server given as an http.Handler that upgrades to WebSocket
// and echoes every message. Every case gets its own HTTP server on
// 127.0.0.1 and a free port.
func Handler(h http.Handler) Target { return harness.Handler(h) }

// URL is a server already running at a ws:// URL.
func URL(u string) Target { return harness.URL(u) }

// URLFunc is a server whose ws:// URL is known only once the test runs; f
// is called for every case.
func URLFunc(f func() string) Target { return harness.URLFunc(f) }
