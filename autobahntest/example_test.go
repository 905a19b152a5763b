// This file runs the Autobahn catalog against gorilla/websocket's client and
// server from plain go test, one subtest per case. Copy it into your
// module's test files, swap the two echo peers for your own, and run
//
//	go test -run 'TestAutobahn'                         # both roles, every case
//	go test -run 'TestAutobahnServer/^3\.'              # section 3 of the server
//	go test -run '^TestAutobahnClient$/^6\.4\.1$'       # one case
//	go test -short                                      # without 9.x, 12.x, 13.x
//	go test -json -run TestAutobahn                    # one test per case, for gotestsum
//
// With AUTOBAHN_REPORTS set, Autobahn reports (index.html, index.json and a
// page per case) go to $AUTOBAHN_REPORTS/clients and $AUTOBAHN_REPORTS/servers.
package autobahntest_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/autobahntest"
)

// TestAutobahnClient tests gorilla's client: dial, then echo every message
// until the connection closes.
func TestAutobahnClient(t *testing.T) {
	autobahntest.Client(t, "gorilla", func(ctx context.Context, url string) error {
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
		if err != nil {
			return err
		}
		defer conn.Close()
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		defer stop()
		echo(conn)
		return nil
	}, exampleOptions("clients")...)
}

// TestAutobahnServer tests gorilla's server: an http.Handler that upgrades
// and echoes every message.
func TestAutobahnServer(t *testing.T) {
	autobahntest.Server(t, "gorilla", autobahntest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		echo(conn)
	})), exampleOptions("servers")...)
}

// exampleOptions write reports where
// AUTOBAHN_REPORTS says. To keep this repository's own test runs short,
// they take the quick sections 1-4 and 7 unless AUTOBAHN_EXAMPLE_ALL=1;
// leave that condition out of your copy, which then runs every case.
func exampleOptions(role string) []autobahntest.Option {
	var opts []autobahntest.Option
	if dir := os.Getenv("AUTOBAHN_REPORTS"); dir != "" {
		opts = append(opts, autobahntest.ReportDir(filepath.Join(dir, role)))
	}
	if os.Getenv("AUTOBAHN_EXAMPLE_ALL") != "1" {
		opts = append(opts, autobahntest.Cases("1.*", "2.*", "3.*", "4.*", "7.*"))
	}
	return opts
}

// echo sends every message back until the connection closes. gorilla leaves
// the UTF-8 check of text messages to the application: a text message that
// is not valid UTF-8 fails the connection with 1007.
func echo(conn *websocket.Conn) {
	conn.SetReadLimit(64 << 20)
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if mt == websocket.TextMessage && !utf8.Valid(msg) {
			closing := websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, "")
			conn.WriteControl(websocket.CloseMessage, closing, time.Now().Add(time.Second))
			return
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return
		}
	}
}
