package autobahntest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/autobahntest"
)

// Client runs from a test function of your own, here
// TestAutobahnClient: every selected case is a subtest named by its id.
func ExampleClient() {
	testAutobahnClient := func(t *testing.T) {
		autobahntest.Client(t, "myclient", func(ctx context.Context, url string) error {
			conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
			if err != nil {
				return err
			}
			defer conn.Close()
			stop := context.AfterFunc(ctx, func() { conn.Close() })
			defer stop()
			echo(conn) // send every message back (example_test.go)
			return nil
		})
	}
	_ = testAutobahnClient
}

// Server runs from a test function of your own, here TestAutobahnServer,
// against an http.Handler (or, with URL, a server that already runs).
func ExampleServer() {
	testAutobahnServer := func(t *testing.T) {
		autobahntest.Server(t, "myserver", autobahntest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer conn.Close()
			echo(conn) // send every message back (example_test.go)
		})), autobahntest.Exclude("12.*", "13.*"), autobahntest.ReportDir("reports/servers"))
	}
	_ = testAutobahnServer
}

// Extended adds section H, the opening handshake and negotiation cases of
// wsfuzz's own, to Autobahn's catalog; Cases("H.*") alone runs only those.
func ExampleExtended() {
	testHandshake := func(t *testing.T) {
		autobahntest.Server(t, "myserver", autobahntest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
			if err != nil {
				return
			}
			defer conn.Close()
			echo(conn)
		})), autobahntest.Extended())
	}
	_ = testHandshake
}
