package container

import (
	"net/http"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// The echo peers of the oracle runs: gorilla/websocket's server (NextReader,
// NextWriter) and client (ReadMessage, WriteMessage).
var (
	gorillaHandler = echopeer.GorillaServer
	gorillaClient  = echopeer.GorillaClient
)

// startGorillaServer serves gorillaHandler on 127.0.0.1 and returns its URL
// and a function that stops it.
func startGorillaServer() (string, func(), error) {
	return echopeer.Serve(http.HandlerFunc(gorillaHandler))
}

// gorillaServer is startGorillaServer for a test.
func gorillaServer(t *testing.T) string {
	t.Helper()
	url, stop, err := startGorillaServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}
