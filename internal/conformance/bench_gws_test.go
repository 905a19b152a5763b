//go:build unix

package conformance

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/runner"
)

// BenchmarkCatalogGWS runs the catalog serially against lxzan/gws v1.7.0's
// echo server with permessage-deflate and UTF-8 checks on (testdata/gwspeer,
// a module of its own), in a process of its own, so that the CPU time of the
// fuzzer's process and of the peer's are measured apart: ours with
// getrusage, the peer's from its exit status. Every group of sections has a
// peer of its own; fuzzer/peer is the ratio of the two CPU times. The
// group "all" plays the whole catalog with the default bound of cases at
// once (harness.DefaultParallel), as wstest -m fuzzingclient does. Every
// run starts without the compressed streams and echoes that compression
// cases share (runner.ForgetShared), as a fresh process does.
//
//	go test ./internal/conformance -run '^$' -bench CatalogGWS -benchtime 1x
func BenchmarkCatalogGWS(b *testing.B) {
	peer := buildPeer(b, "gwspeer")
	groups := []struct {
		name              string
		patterns, exclude []string
		parallel          int
	}{
		{"1-10", []string{"*"}, []string{"12.*", "13.*"}, 1},
		{"12", []string{"12.*"}, nil, 1},
		{"13", []string{"13.*"}, nil, 1},
		{"all/parallel=" + strconv.Itoa(harness.DefaultParallel()), []string{"*"}, nil, harness.DefaultParallel()},
	}
	for _, g := range groups {
		b.Run(g.name, func(b *testing.B) {
			ids, err := cases.Resolve(g.patterns, g.exclude)
			if err != nil {
				b.Fatal(err)
			}
			url, stop := startPeer(b, peer)
			before := selfCPU(b)
			for b.Loop() {
				runner.ForgetShared() // every run starts as a fresh process does
				res, err := fakeclient.Run(context.Background(), fakeclient.Config{URL: url, Agent: "gws", Cases: ids, Parallel: g.parallel})
				if err != nil || len(res) != len(ids) {
					b.Fatalf("%d results of %d: %v", len(res), len(ids), err)
				}
			}
			ours := selfCPU(b) - before
			theirs := stop()
			n := float64(b.N)
			b.ReportMetric(float64(len(ids)), "cases")
			b.ReportMetric(ours.Seconds()/n, "fuzzer-cpu-s/op")
			b.ReportMetric(theirs.Seconds()/n, "peer-cpu-s/op")
			b.ReportMetric(ours.Seconds()/theirs.Seconds(), "fuzzer/peer")
		})
	}
}

// buildPeer builds testdata/<name> (a module of its own) and returns the
// binary's path; it skips when the module cannot be built (no go command,
// no module proxy).
func buildPeer(b *testing.B, name string) string {
	b.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		b.Skipf("%s: no go command to build testdata/%s", name, name)
	}
	bin := filepath.Join(b.TempDir(), name)
	cmd := exec.Command(goCmd, "build", "-o", bin, ".")
	cmd.Dir = filepath.Join("testdata", name)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("%s: building testdata/%s: %v\n%s", name, name, err, out)
	}
	return bin
}

// startPeer runs the peer binary and returns its URL and a function that
// stops it (closing its standard input) and returns its CPU time.
func startPeer(b *testing.B, bin string) (string, func() time.Duration) {
	b.Helper()
	cmd := exec.Command(bin)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("peer %s: %v", bin, err)
	}
	var cpu time.Duration
	stopped := false
	stop := func() time.Duration {
		if !stopped {
			stopped = true
			_ = stdin.Close()
			if err := cmd.Wait(); err != nil {
				b.Errorf("peer %s: %v", bin, err)
			}
			cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		return cpu
	}
	b.Cleanup(func() { stop() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("peer %s: reading its URL: %v", bin, err)
	}
	return strings.TrimSpace(line), stop
}

// selfCPU is the CPU time this process used so far, user and system.
func selfCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
