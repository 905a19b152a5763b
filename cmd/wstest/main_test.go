package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/report"
)

func echoServer(t *testing.T) string {
	t.Helper()
	url, stop, err := echopeer.Serve(http.HandlerFunc(echopeer.GorillaServer))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return strings.TrimSuffix(url, "/")
}

func writeSpec(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFuzzingClientWritesReports(t *testing.T) {
	url := echoServer(t)
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "Gorilla Echo/1.5", "url": "`+url+`"}],
	  "cases": ["1.1.*", "2.1"], "exclude-cases": ["1.1.6", "1.1.7", "1.1.8"], "exclude-agent-cases": {"Gorilla*": ["2.1"]}}`)
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec}, &stdout, io.Discard); err != nil {
		t.Fatalf("run: %v\n%s", err, stdout.String())
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	got := idx["Gorilla Echo/1.5"]
	if len(got) != 5 {
		t.Fatalf("index has %d cases, want 1.1.1-1.1.5 (2.1 excluded for the agent): %v", len(got), got)
	}
	e := got["1.1.3"]
	if e.Behavior != "OK" || e.BehaviorClose != "OK" || e.ReportFile != "gorilla_echo_1_5_case_1_1_3.json" {
		t.Errorf("1.1.3 index entry %+v", e)
	}
	r, err := report.ReadResult(filepath.Join(out, e.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if r.Case != 3 || r.IsServer || r.ID != "1.1.3" {
		t.Errorf("case file: case %d isServer %v id %s", r.Case, r.IsServer, r.ID)
	}
	if !strings.Contains(stdout.String(), "case 5 of 5") { // 2.1 is excluded for the agent before the run
		t.Errorf("progress lines missing:\n%s", stdout.String())
	}
}

func TestFuzzingServerDriverProtocol(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	out := t.TempDir()
	spec := writeSpec(t, `{"url": "ws://127.0.0.1:`+itoa(port)+`", "outdir": "`+out+`", "cases": ["3.*"], "exclude-cases": ["3.4"]}`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--mode", "fuzzingserver", "--spec", spec}, io.Discard, io.Discard) }()
	base := "ws://127.0.0.1:" + itoa(port)
	var conn *websocket.Conn
	for i := 0; i < 100; i++ {
		if conn, _, err = websocket.DefaultDialer.Dial(base+"/getCaseCount", nil); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	_, msg, err := conn.ReadMessage()
	conn.Close()
	if err != nil || string(msg) != "6" {
		t.Fatalf("getCaseCount = %q, %v; want 6 (3.x without 3.4)", msg, err)
	}
	for n := 1; n <= 6; n++ {
		c, _, err := websocket.DefaultDialer.Dial(base+"/runCase?case="+itoa(n)+"&agent=driver", nil)
		if err != nil {
			t.Fatal(err)
		}
		for {
			mt, m, err := c.ReadMessage()
			if err != nil {
				break
			}
			c.WriteMessage(mt, m)
		}
		c.Close()
	}
	c, _, err := websocket.DefaultDialer.Dial(base+"/updateReports?agent=driver&shutdownOnComplete=true", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.ReadMessage()
	c.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("server did not shut down after updateReports?shutdownOnComplete=true")
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx["driver"]) != 6 || idx["driver"]["3.5"].ReportFile != "driver_case_3_5.json" {
		t.Fatalf("index: %+v", idx)
	}
	r, err := report.ReadResult(filepath.Join(out, "driver_case_3_5.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Case != 4 || !r.IsServer {
		t.Errorf("3.5 is case 4 of the spec (after 3.4 was excluded), on a server; got case %d isServer %v", r.Case, r.IsServer)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
func TestBadInputIsRefusedNamingTheProblem(t *testing.T) {
	tests := []struct {
		args []string
		spec string
		want string
	}{
		{[]string{"-m", "fuzzingproxy"}, "", `unknown mode "fuzzingproxy"`},
		{[]string{}, "", "flag -m (mode) is required"},
		{[]string{"-m", "fuzzingclient"}, `{"servers": [{"url": "ws://127.0.0.1:1"}], "cases": 7}`, `field "cases"`},
		{[]string{"-m", "fuzzingclient"}, `{"servers": [{"url": "ws://127.0.0.1:1"}], "cases": ["42.1"]}`, `unknown case id "42.1"`},
		{[]string{"-m", "fuzzingserver"}, `{"url": "ws://127.0.0.1:9001", "options": {"failByDrop": 1}}`, `option "failByDrop"`},
		{[]string{"-m", "fuzzingclient"}, `{"servers": [{"url": "ws://127.0.0.1:1", "agent": "x"}], "cases": ["1.1.1"], "outdir": "` + t.TempDir() + `"}`, "connect"},
	}
	for _, tt := range tests {
		args := tt.args
		if tt.spec != "" {
			args = append(args, "-s", writeSpec(t, tt.spec))
		}
		err := run(context.Background(), args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("wstest %v: error %v, want it to mention %q", args, err, tt.want)
		}
	}
}

func TestExitCodeOnBadSpec(t *testing.T) {
	bin := wstestBinary(t)
	cmd := exec.Command(bin, "-m", "fuzzingserver", "-s", writeSpec(t, `{"url": "ws://127.0.0.1:9001", "cases": {}}`))
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("want a non-zero exit, got %v", err)
	}
	if !strings.Contains(string(out), `field "cases"`) {
		t.Fatalf("message must name the field: %s", out)
	}
}

// exclude-agent-cases that leave a server nothing are said so before the
// run, not contradicted by it; the summary counts the cases of every server.
func TestAgentExclusionsLeavingNothing(t *testing.T) {
	url := echoServer(t)
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "none", "url": "`+url+`"}, {"agent": "some", "url": "`+url+`"}],
	  "cases": ["1.1.1", "1.1.2"], "exclude-agent-cases": {"none": ["*"], "some": ["1.1.1"]}}`)
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec}, &stdout, io.Discard); err != nil {
		t.Fatalf("run: %v\n%s", err, stdout.String())
	}
	for _, want := range []string{
		"Server " + url + " (none): 2 of the 2 cases excluded for its agent by exclude-agent-cases, 0 to run\n",
		"Server " + url + " (some): 1 of the 2 cases excluded for its agent by exclude-agent-cases, 1 to run\n",
		"case 1 of 1: some 1.1.2: OK / OK",
		"\n1 case run: OK 1 (",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	var none bytes.Buffer
	spec = writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "none", "url": "`+url+`"}], "cases": ["1.1.1"], "exclude-agent-cases": {"*": ["1.*"]}}`)
	if err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec}, &none, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(none.String(), "\nNo case was run.\n") || strings.Contains(none.String(), "0 cases run:") {
		t.Errorf("output:\n%s", none.String())
	}
}

// -h prints the usage and exits 0.
func TestHelpExitsZero(t *testing.T) {
	out, err := exec.Command(wstestBinary(t), "-h").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "-max-duration") {
		t.Errorf("wstest -h: %v\n%s", err, out)
	}
}
