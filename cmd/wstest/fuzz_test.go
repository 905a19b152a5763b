package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/mutants"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// TestFuzzMode fuzzes a conforming server (no failure, exit status 0) and
// a faulty one, whose failing script is saved and fails again on replay.
func TestFuzzMode(t *testing.T) {
	good := serve(t, echopeer.GorillaServerUTF8) + "/"
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-m", "fuzz", "-w", good, "--count", "40", "--seed", "3", "--outdir", t.TempDir()}, &out, io.Discard); err != nil {
		t.Fatalf("fuzzing gorilla: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "40 scripts played, 0 failed (seed 3)") {
		t.Errorf("output:\n%s", out.String())
	}

	var faulty http.HandlerFunc
	for _, m := range mutants.All() {
		if m.Name == "ServerLongPingShortPong" {
			faulty = m.Server
		}
	}
	bad := serve(t, faulty) + "/"
	dir := t.TempDir()
	out.Reset()
	err := run(context.Background(), []string{"-m=fuzz", "-w", bad, "--count", "20", "--seed", "3", "--outdir", dir}, &out, io.Discard)
	if !errors.Is(err, errCasesFailed) {
		t.Fatalf("fuzzing a server that cuts pongs: %v, want failed scripts\n%s", err, out.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatalf("no failing script saved:\n%s", out.String())
	}
	data, _ := os.ReadFile(files[0])
	if !strings.HasPrefix(string(data), corpusHeader) {
		t.Errorf("saved script not in go test's corpus format:\n%s", data)
	}
	out.Reset()
	if err := run(context.Background(), []string{"-m", "replay", "-w", bad, files[0]}, &out, io.Discard); !errors.Is(err, errCasesFailed) || !strings.Contains(out.String(), `rule "pong"`) {
		t.Errorf("replay against the faulty server: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"-m", "replay", "-w", good, files[0]}, &out, io.Discard); err != nil {
		t.Errorf("replay against gorilla: %v\n%s", err, out.String())
	}
}

// TestFuzzModeFlags refuses a missing URL and a replay without files.
func TestFuzzModeFlags(t *testing.T) {
	for _, args := range [][]string{{"-m", "fuzz"}, {"-m", "replay", "-w", "ws://127.0.0.1:1/"}, {"--mode=fuzz", "-w", "ws://x/", "--count", "-1"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil || errors.Is(err, errCasesFailed) {
			t.Errorf("%v: error %v, want a flag error", args, err)
		}
	}
}

// startFuzzClients runs wstest with args (a client mode with --listen
// 127.0.0.1:0) and returns the base URL it listens on and its result.
func startFuzzClients(t *testing.T, ctx context.Context, args ...string) (string, *lockedBuffer, <-chan error) {
	t.Helper()
	var stdout lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), &stdout, io.Discard) }()
	listening := regexp.MustCompile(`listening on (ws://127\.0\.0\.1:\d+)`)
	for i := 0; ; i++ {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], &stdout, done
		}
		select {
		case err := <-done:
			t.Fatalf("wstest %v ended before listening: %v\n%s", args, err, stdout.String())
		case <-time.After(10 * time.Millisecond):
		}
		if i == 500 {
			t.Fatalf("wstest %v does not listen:\n%s", args, stdout.String())
		}
	}
}

// drive connects client to base as an Autobahn client driver does: it asks
// the count, plays every script by number (or those of only, if any) and
// updates the reports.
func drive(ctx context.Context, base string, client func(context.Context, string) error, only ...int) error {
	c, _, err := websocket.DefaultDialer.DialContext(ctx, base+"/getCaseCount", nil)
	if err != nil {
		return fmt.Errorf("getCaseCount: %w", err)
	}
	_, msg, err := c.ReadMessage()
	c.Close()
	if err != nil {
		return fmt.Errorf("getCaseCount: %w", err)
	}
	n, err := strconv.Atoi(string(msg))
	if err != nil {
		return fmt.Errorf("getCaseCount answered %q: %w", msg, err)
	}
	cases := only
	for i := 1; only == nil && i <= n; i++ {
		cases = append(cases, i)
	}
	for _, i := range cases {
		if err := client(ctx, fmt.Sprintf("%s/runCase?case=%d&agent=driver", base, i)); err != nil {
			return fmt.Errorf("case %d: %w", i, err)
		}
	}
	c, _, err = websocket.DefaultDialer.DialContext(ctx, base+"/updateReports?agent=driver", nil)
	if err != nil {
		return fmt.Errorf("updateReports: %w", err)
	}
	c.Close()
	return nil
}

// TestFuzzModeClients fuzzes clients with --listen: gorilla's echo client,
// driven as an Autobahn client driver drives it, passes every script (exit
// status 0); a client that drops the connection on a close frame without
// answering it (RFC 6455 5.5.1) fails, its failing scripts are saved, and
// -m replay --listen plays one again: failing against that client, passing
// against gorilla's.
func TestFuzzModeClients(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base, out, done := startFuzzClients(t, ctx, "-m", "fuzz", "--count", "30", "--seed", "5", "--outdir", t.TempDir())
	driven := make(chan error, 1)
	go func() { driven <- drive(ctx, base, echopeer.GorillaClientUTF8) }()
	if err := <-done; err != nil {
		t.Fatalf("fuzzing gorilla's client: %v\n%s", err, out.String())
	}
	if err := <-driven; err != nil {
		t.Errorf("the driver: %v", err)
	}
	if !strings.Contains(out.String(), "30 scripts played, 0 failed (seed 5)") {
		t.Errorf("output:\n%s", out.String())
	}

	var faulty func(context.Context, string) error
	for _, m := range mutants.All() {
		if m.Name == "ClientNoCloseReply" {
			faulty = m.Client
		}
	}
	// the scripts of the seeds that close with a close frame (7.1.*)
	var closing []int
	for i, sd := range script.Seeds() {
		if strings.HasPrefix(sd.Name, "case_7_1_") {
			closing = append(closing, i+1)
		}
	}
	if len(closing) == 0 {
		t.Fatal("no seed of section 7.1")
	}
	dir := t.TempDir()
	base, out, done = startFuzzClients(t, ctx, "-m", "fuzz", "--count", strconv.Itoa(closing[len(closing)-1]), "--seed", "5", "--outdir", dir)
	go func() { driven <- drive(ctx, base, faulty, closing...) }()
	if err := <-done; !errors.Is(err, errCasesFailed) {
		t.Fatalf("fuzzing a client that answers no close: %v, want failed scripts\n%s", err, out.String())
	}
	<-driven
	if !strings.Contains(out.String(), `rule "close-reply"`) {
		t.Errorf("the close-reply rule not reported:\n%s", out.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatalf("no failing script saved:\n%s", out.String())
	}
	for _, tc := range []struct {
		name   string
		client func(context.Context, string) error
		fail   bool
	}{{"the faulty client", faulty, true}, {"gorilla's client", echopeer.GorillaClientUTF8, false}} {
		base, out, done := startFuzzClients(t, ctx, "-m", "replay", "--bound", "300ms", files[0])
		go func() { driven <- tc.client(ctx, base+"/") }()
		err := <-done
		<-driven
		t.Logf("%s:\n%s", tc.name, out.String())
		if tc.fail && (!errors.Is(err, errCasesFailed) || !strings.Contains(out.String(), `rule "close-reply"`)) {
			t.Errorf("replay against %s: %v, want the close-reply failure\n%s", tc.name, err, out.String())
		}
		if !tc.fail && (err != nil || !strings.Contains(out.String(), "1 scripts played, 0 failed")) {
			t.Errorf("replay against %s: %v, want a pass\n%s", tc.name, err, out.String())
		}
	}
}
