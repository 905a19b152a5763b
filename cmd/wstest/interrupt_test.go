package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/report"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// wstestBinary builds the command once for the tests that run it.
func wstestBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wstest-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "wstest")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// onLine calls f once, when a line containing s has been written.
type onLine struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	s    string
	f    func()
	done bool
}

func (w *onLine) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.done && strings.Contains(w.buf.String(), w.s) {
		w.done = true
		go w.f()
	}
	return len(p), nil
}

func (w *onLine) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

var interrupt = stoppedBy{os.Interrupt}

// Ctrl-C in fuzzingclient mode is a stop as --max-duration is: the case
// running is cut short and not judged, the reports of the cases run are
// written, and the exit status is non-zero (130, as a shell reports it).
func TestInterruptFuzzingClient(t *testing.T) {
	url := echoServer(t)
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "echo", "url": "`+url+`"}], "cases": ["1.1.1", "5.19", "1.1.2"]}`)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	stdout := &onLine{s: "case 1 of 3", f: func() { time.Sleep(100 * time.Millisecond); cancel(interrupt) }} // 5.19 pauses 1 s
	err := run(ctx, []string{"-m", "fuzzingclient", "-s", spec}, stdout, io.Discard)
	// the cases run in catalog order: 1.1.1, 1.1.2, then 5.19
	want := "stopped by signal interrupt: 1 case not reached: " + url + " (echo): 5.19 (cut short)"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v\nwant  %s\n%s", err, want, stdout)
	}
	if code := exitCode(err, io.Discard); code != 130 {
		t.Errorf("exit status %d, want 130", code)
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx["echo"]) != 2 || idx["echo"]["1.1.2"].Behavior != "OK" {
		t.Errorf("index %+v, want 1.1.1 and 1.1.2", idx)
	}
	if _, err := os.Stat(filepath.Join(out, "echo_case_5_19.json")); err == nil {
		t.Error("the case cut short has a report")
	}
}

// freePort is a port nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return itoa(ln.Addr().(*net.TCPAddr).Port)
}

// dialCase connects a driver to case n of a fuzzing server, retrying while
// the server starts.
func dialCase(t *testing.T, base string, n int) *websocket.Conn {
	t.Helper()
	var err error
	for range 200 {
		var c *websocket.Conn
		if c, _, err = websocket.DefaultDialer.Dial(base+"/runCase?case="+itoa(n)+"&agent=driver", nil); err == nil {
			return c
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("case %d: %v", n, err)
	return nil
}

// echo sends every message back until the connection closes.
func echo(c *websocket.Conn) {
	defer c.Close()
	for {
		mt, m, err := c.ReadMessage()
		if err != nil {
			return
		}
		c.WriteMessage(mt, m)
	}
}

// Ctrl-C in fuzzingserver mode writes the reports of the cases run, names
// the case cut short (not judged) and the cases not run, and exits
// non-zero.
func TestInterruptFuzzingServer(t *testing.T) {
	port := freePort(t)
	out := t.TempDir()
	spec := writeSpec(t, `{"url": "ws://127.0.0.1:`+port+`", "outdir": "`+out+`", "cases": ["1.1.1", "5.19", "1.1.2"]}`)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var stdout lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-m", "fuzzingserver", "-s", spec}, &stdout, io.Discard) }()
	base := "ws://127.0.0.1:" + port
	echo(dialCase(t, base, 1))
	// 1.1.1 ends on the fuzzer's side after the client has gone: wait for
	// its result, or the interrupt may cut it short too
	for i := 0; !strings.Contains(stdout.String(), "driver 1.1.1: OK"); i++ {
		if i == 500 {
			t.Fatalf("1.1.1 did not finish:\n%s", stdout.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	c := dialCase(t, base, 3) // 5.19: the fuzzer pauses 1 s in it
	cancel(interrupt)
	echo(c)
	err := <-done
	want := "stopped by signal interrupt: 2 cases not reached: agent driver: 5.19 (cut short) 1.1.2"
	if err == nil || err.Error() != want {
		t.Fatalf("error %v\nwant  %s", err, want)
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatalf("no report of the case run: %v", err)
	}
	if len(idx["driver"]) != 1 || idx["driver"]["1.1.1"].Behavior != "OK" {
		t.Errorf("index %+v, want 1.1.1 alone", idx)
	}
}

// SIGINT reaches the command: a fuzzing server writes its reports and exits
// with 130.
func TestInterruptSignal(t *testing.T) {
	bin := wstestBinary(t)
	port := freePort(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "-m", "fuzzingserver", "-s", writeSpec(t, `{"url": "ws://127.0.0.1:`+port+`", "outdir": "`+out+`", "cases": ["1.1.1", "1.1.2"]}`))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && !strings.Contains(lines.Text(), "listening on") {
	}
	echo(dialCase(t, "ws://127.0.0.1:"+port, 1))
	// The result is stored once the fuzzer has seen the connection end.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if lines.Scan() && strings.Contains(lines.Text(), "case 1 of 2") {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	go io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit %v, want status 130\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "stopped by signal interrupt: 1 case not reached: agent driver: 1.1.2") {
		t.Errorf("stderr: %s", stderr.String())
	}
	if idx, err := report.ReadIndex(out); err != nil || idx["driver"]["1.1.1"].Behavior != "OK" {
		t.Errorf("index %+v, %v; want 1.1.1", idx, err)
	}
}
