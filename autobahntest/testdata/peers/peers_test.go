// Package peers is a test program that package autobahntest's tests run
// with go test -json, as users run theirs: gorilla's echo peers, and a
// deliberately broken client. The environment picks the cases:
// AUTOBAHNTEST_CASES (comma-separated patterns), AUTOBAHNTEST_PARALLEL=1
// (the Parallel option), AUTOBAHNTEST_BASELINE (the Baseline option's
// file), AUTOBAHNTEST_BROKEN=1 (TestBroken runs),
// AUTOBAHNTEST_TWICE=1 (TestTwice runs), AUTOBAHNTEST_QUITTER=1
// (TestQuitter runs), AUTOBAHNTEST_KNOWN (FuzzKnown runs, with these
// rules declared known findings).
package peers

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/autobahntest"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/mutants"
)

func options() []autobahntest.Option {
	opts := []autobahntest.Option{autobahntest.Cases(strings.Split(os.Getenv("AUTOBAHNTEST_CASES"), ",")...)}
	if os.Getenv("AUTOBAHNTEST_PARALLEL") != "1" {
		opts = append(opts, autobahntest.Parallel(1))
	}
	if path := os.Getenv("AUTOBAHNTEST_BASELINE"); path != "" {
		opts = append(opts, autobahntest.Baseline(path))
	}
	return opts
}

func TestServer(t *testing.T) {
	autobahntest.Server(t, "gorilla", autobahntest.Handler(echopeer.GorillaServerWith(websocket.Upgrader{})), options()...)
}

func TestClient(t *testing.T) {
	autobahntest.Client(t, "gorilla", echopeer.GorillaClient, options()...)
}

// TestBroken tests a client that appends "!" to every message it echoes.
func TestBroken(t *testing.T) {
	if os.Getenv("AUTOBAHNTEST_BROKEN") != "1" {
		t.Skip("AUTOBAHNTEST_BROKEN is not 1")
	}
	autobahntest.Client(t, "broken", func(ctx context.Context, url string) error {
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
		if err != nil {
			return err
		}
		defer conn.Close()
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		defer stop()
		for {
			mt, msg, err := conn.ReadMessage()
			if err != nil {
				return nil
			}
			if err := conn.WriteMessage(mt, append(msg, '!')); err != nil {
				return nil
			}
		}
	}, options()...)
}

// TestTwice runs the cases of two clients under one test, which Client
// refuses.
func TestTwice(t *testing.T) {
	if os.Getenv("AUTOBAHNTEST_TWICE") != "1" {
		t.Skip("AUTOBAHNTEST_TWICE is not 1")
	}
	autobahntest.Client(t, "gorilla", echopeer.GorillaClient, options()...)
	autobahntest.Client(t, "gorilla2", echopeer.GorillaClient, options()...)
}

// TestQuitter tests a client that hangs up right after the handshake and
// returns an error saying so.
func TestQuitter(t *testing.T) {
	if os.Getenv("AUTOBAHNTEST_QUITTER") != "1" {
		t.Skip("AUTOBAHNTEST_QUITTER is not 1")
	}
	autobahntest.Client(t, "quitter", func(ctx context.Context, url string) error {
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
		if err != nil {
			return err
		}
		conn.Close()
		return errors.New("quitter gave up on purpose")
	}, options()...)
}

// FuzzKnown fuzzes a server that cuts the pong of a ping over 100 octets
// (RFC 6455 5.5.3: rule "pong"), with each rule of $AUTOBAHNTEST_KNOWN
// (comma-separated) declared a known finding; it skips without it.
func FuzzKnown(f *testing.F) {
	rules := os.Getenv("AUTOBAHNTEST_KNOWN")
	if rules == "" {
		f.Skip("set AUTOBAHNTEST_KNOWN")
	}
	var opts []autobahntest.FuzzOption
	for _, r := range strings.Split(rules, ",") {
		opts = append(opts, autobahntest.KnownFinding(r, "cuts pongs to 100 octets (test)"))
	}
	for _, m := range mutants.All() {
		if m.Name == "ServerLongPingShortPong" {
			autobahntest.FuzzServer(f, "short-pong", m.Server, opts...)
		}
	}
}
