package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/timebound"
	"github.com/wsfuzz/autobahn/report"
)

// Bad configuration is refused with an error naming the problem, before
// any case runs, and leaves no index.json behind.
func TestBadConfigurationIsRefused(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	blocked := filepath.Join(file, "reports") // under a regular file: cannot be made
	out := filepath.Join(t.TempDir(), "reports")
	tests := []struct {
		name string
		args []string
		spec string
		want string
	}{
		{"malformed JSON", []string{"-m", "fuzzingclient"}, `{"servers": [{"url": "ws://127.0.0.1:1"}],}`, "invalid character"},
		{"unknown field", []string{"-m", "fuzzingserver"}, `{"url": "ws://127.0.0.1:9001", "outdri": "x"}`, `unknown field "outdri"`},
		{"unknown server field", []string{"-m", "fuzzingclient"}, `{"servers": [{"url": "ws://127.0.0.1:1", "agnet": "x"}]}`, `unknown field "servers[0].agnet"`},
		{"unreachable server", []string{"-m", "fuzzingclient"}, `{"outdir": "` + out + `", "servers": [{"url": "ws://127.0.0.1:1"}], "cases": ["1.1.1"]}`, "connect to ws://127.0.0.1:1"},
		{"port in use (address)", []string{"-m", "fuzzingserver"}, `{"url": "ws://` + busy.Addr().String() + `", "outdir": "` + out + `"}`, "address already in use"},
		{"port in use", []string{"-m", "fuzzingserver"}, `{"url": "ws://` + busy.Addr().String() + `", "outdir": "` + out + `"}`, "listen on " + busy.Addr().String()},
		{"report directory under a file", []string{"-m", "fuzzingclient"}, `{"outdir": "` + blocked + `", "servers": [{"url": "ws://127.0.0.1:1"}]}`, "report directory " + blocked + " cannot be created"},
		{"report directory under a file (server)", []string{"-m", "fuzzingserver"}, `{"url": "ws://127.0.0.1:0", "outdir": "` + blocked + `"}`, "report directory " + blocked + " cannot be created"},
		{"negative run limit", []string{"-m", "fuzzingclient", "-max-duration", "-1s"}, `{}`, "flag -max-duration: must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(tt.args, "-s", writeSpec(t, tt.spec))
			var stdout bytes.Buffer
			err := run(context.Background(), args, &stdout, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to name %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(out, "index.json")); err == nil {
				t.Fatalf("an index.json was written")
			}
		})
	}
}

// A report that cannot be completed leaves no index.json presented as
// complete and no temporary file: here index.json cannot replace what is in
// its way.
func TestReportWriteFailureLeavesNoIndex(t *testing.T) {
	url := echoServer(t)
	out := t.TempDir()
	if err := os.MkdirAll(filepath.Join(out, "index.json", "in-the-way"), 0o755); err != nil {
		t.Fatal(err)
	}
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "echo", "url": "`+url+`"}], "cases": ["1.1.1"]}`)
	err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "index.json") {
		t.Fatalf("error %v, want one naming index.json", err)
	}
	if _, err := report.ReadIndex(out); err == nil {
		t.Fatal("an index could be read")
	}
	left, _ := filepath.Glob(filepath.Join(out, ".tmp-*"))
	if len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// --max-duration bounds a fuzzingclient run: the reports hold the cases
// that ran, and the error and the output name the cases not reached.
func TestMaxDurationFuzzingClient(t *testing.T) {
	url := echoServer(t)
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "echo", "url": "`+url+`"}, {"agent": "second", "url": "`+url+`"}],
	  "cases": ["1.1.1", "1.1.2", "5.19"]}`)
	var stdout bytes.Buffer
	start := time.Now()
	err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec, "--max-duration", "500ms"}, &stdout, io.Discard)
	if el, limit := time.Since(start), 500*time.Millisecond+timebound.Scale(t, 2500*time.Millisecond); el > limit {
		t.Errorf("run took %v with a limit of 500ms (allowed %v)", el, limit)
	}
	want := "run limit of 500ms reached: 4 cases not reached: " + url + " (echo): 5.19 (cut short); " + url + " (second): 1.1.1 1.1.2 5.19"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v\nwant  %s", err, want)
	}
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("output does not name the cases not reached:\n%s", stdout.String())
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) != 1 || len(idx["echo"]) != 2 || idx["echo"]["1.1.2"].Behavior != "OK" {
		t.Fatalf("index %+v, want 1.1.1 and 1.1.2 for echo alone", idx)
	}
}

// --max-duration bounds a fuzzingserver that no client finishes with: it
// stops, writes the reports and names the cases no client ran.
func TestMaxDurationFuzzingServer(t *testing.T) {
	out := t.TempDir()
	spec := writeSpec(t, `{"url": "ws://127.0.0.1:0", "outdir": "`+out+`", "cases": ["1.1.1", "1.1.2"]}`)
	err := run(context.Background(), []string{"-m", "fuzzingserver", "-s", spec, "--max-duration", "200ms"}, io.Discard, io.Discard)
	want := "run limit of 200ms reached: 2 cases not reached: any client: 1.1.1 1.1.2"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %s", err, want)
	}
	if _, err := report.ReadIndex(out); err != nil {
		t.Fatalf("no index of what ran: %v", err)
	}
}

// The command exits non-zero on bad configuration and on a run cut by its
// limit.
func TestExitStatusOnFailure(t *testing.T) {
	bin := wstestBinary(t)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	out := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-m", "fuzzingserver", "-s", writeSpec(t, `{"url": "ws://`+busy.Addr().String()+`", "outdir": "`+out+`"}`)}, "address already in use"},
		{[]string{"-m", "fuzzingserver", "--max-duration", "100ms", "-s", writeSpec(t, `{"url": "ws://127.0.0.1:0", "outdir": "`+out+`", "cases": ["1.1.1"]}`)}, "1 case not reached"},
	} {
		got, err := exec.Command(bin, tt.args...).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 0 {
			t.Errorf("wstest %v: want a non-zero exit, got %v", tt.args, err)
		}
		if !strings.Contains(string(got), tt.want) {
			t.Errorf("wstest %v: output %q, want it to name %q", tt.args, got, tt.want)
		}
	}
}
