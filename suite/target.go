package suite

import (
	"net/http"

	"github.com/wsfuzz/autobahn/harness"
)

// Target is a WebSocket server under test: see Handler, URL and URLFunc.
type Target = harness.Target

// Handler is a server given as an http.Handler that upgrades to WebSocket
// and echoes every message. Every case gets its own HTTP server on
// 127.0.0.1 and a free port, so parallel Ginkgo processes never collide.
func Handler(h http.Handler) Target { return harness.Handler(h) }

// URL is a server already running at a ws:// URL.
func URL(u string) Target { return harness.URL(u) }

// URLFunc is a server whose ws:// URL is known only once the suite runs
// (started in a BeforeSuite, for instance); f is called for every case.
func URLFunc(f func() string) Target { return harness.URLFunc(f) }
