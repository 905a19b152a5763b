// This file is a complete Ginkgo suite that runs the whole Autobahn catalog
// against gorilla/websocket's client and server. Copy it into your module's
// test files, swap the two echo peers for your own, and run
//
//	go run github.com/onsi/ginkgo/v2/ginkgo                       # everything
//	go run github.com/onsi/ginkgo/v2/ginkgo --label-filter=3.x    # one section
//	go run github.com/onsi/ginkgo/v2/ginkgo --label-filter=case:3.4  # one case
//	go run github.com/onsi/ginkgo/v2/ginkgo --focus='^Autobahn 3\.4 ' # the same
//	go run github.com/onsi/ginkgo/v2/ginkgo -p --label-filter='!slow'
//
// With AUTOBAHN_REPORTS set, Autobahn reports (index.html, index.json and a
// page per case) go to $AUTOBAHN_REPORTS/clients and $AUTOBAHN_REPORTS/servers.
package autobahn_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/wsfuzz/autobahn/suite"
)

func TestAutobahn(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Autobahn")
}

// The client under test: dial, then echo every message until the
// connection closes.
var _ = suite.Client("gorilla", func(ctx context.Context, url string) error {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	echo(conn)
	return nil
}, suite.ReportDir(reportDir("clients")))

// The server under test: an http.Handler that upgrades and echoes every
// message.
var _ = suite.Server("gorilla", suite.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	echo(conn)
})), suite.ReportDir(reportDir("servers")))

// echo sends every message back until the connection closes. gorilla leaves
// the UTF-8 check of text messages to the application (as its own Autobahn
// example does): a text message that is not valid UTF-8 fails the
// connection with 1007.
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

// reportDir is where Autobahn reports go: nowhere unless AUTOBAHN_REPORTS
// names a directory.
func reportDir(role string) string {
	if dir := os.Getenv("AUTOBAHN_REPORTS"); dir != "" {
		return filepath.Join(dir, role)
	}
	return ""
}
