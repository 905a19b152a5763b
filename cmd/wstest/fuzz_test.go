package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/mutants"
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
