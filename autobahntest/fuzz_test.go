package autobahntest

import (
	"net/http"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// FuzzGorillaServer fuzzes gorilla's echo server (with the UTF-8 check
// gorilla leaves to the application); without -fuzz it plays the seeds.
func FuzzGorillaServer(f *testing.F) {
	FuzzServer(f, "gorilla", http.HandlerFunc(echopeer.GorillaServerUTF8))
}

// FuzzGorillaClient fuzzes gorilla's echo client (with the UTF-8 check).
func FuzzGorillaClient(f *testing.F) {
	FuzzClient(f, "gorilla", echopeer.GorillaClientUTF8)
}
