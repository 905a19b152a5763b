package conformance

import (
	"net/http"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// The echo peers of the oracle runs.
var (
	gorillaServer = echopeer.GorillaServer
	gorillaClient = echopeer.GorillaClient
	coderServer   = echopeer.CoderServer
	coderClient   = echopeer.CoderClient
)

// readLimit is the read limit of every echo peer, as in the oracle runs.
const readLimit = echopeer.ReadLimit

// serve runs handler on 127.0.0.1 until the test ends and returns its ws URL.
func serve(t testing.TB, handler http.HandlerFunc) string {
	t.Helper()
	url, stop, err := echopeer.Serve(handler)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}
