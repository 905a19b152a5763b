package container

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/report"
)

// reportDirEnv keeps the tests' reports in a directory (the nightly job
// uploads it); by default they go to temporary directories.
const reportDirEnv = "AUTOBAHN_REPORT_DIR"

func reportDir(t *testing.T, name string) string {
	if d := os.Getenv(reportDirEnv); d != "" {
		return filepath.Join(d, name)
	}
	return t.TempDir()
}

// testLog writes a run's log lines to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// checkReports compares the reports with the oracle's verdicts, case by
// case, and checks that they are on disk in report format.
func checkReports(t *testing.T, rep *Reports, dir, agent string, want map[string]oracleVerdict) {
	t.Helper()
	if rep.Dir != dir {
		t.Errorf("reports are in %s, want %s", rep.Dir, dir)
	}
	idx, err := report.ReadIndex(dir)
	if err != nil {
		t.Fatalf("index.json was not copied out: %v", err)
	}
	if len(idx[agent]) != len(want) {
		t.Errorf("index.json has %d cases for %s, want %d", len(idx[agent]), agent, len(want))
	}
	if len(rep.Results) != len(want) {
		t.Errorf("%d results, want %d", len(rep.Results), len(want))
	}
	agree := 0
	for id, w := range want {
		res := rep.Result(agent, id)
		if res == nil {
			t.Errorf("case %s: no result", id)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, idx[agent][id].ReportFile)); err != nil {
			t.Errorf("case %s: per-case file was not copied out: %v", id, err)
		}
		if res.Behavior != w.Behavior || res.BehaviorClose != w.BehaviorClose {
			t.Errorf("case %s: %s / %s, the real fuzzer's verdict on gorilla is %s / %s",
				id, res.Behavior, res.BehaviorClose, w.Behavior, w.BehaviorClose)
			continue
		}
		agree++
	}
	t.Logf("%d of %d cases agree with the real fuzzer's verdicts on gorilla", agree, len(want))
}

func TestFuzzingClientTestsGorillaServer(t *testing.T) {
	requireDocker(t)
	if runtime.GOOS != "linux" {
		t.Skip("the fuzzer reaches a server on the host's 127.0.0.1 only over the host network, which is Linux only")
	}
	patterns, exclude, want, err := oracleSelection(oracleServerRun)
	if err != nil {
		t.Fatal(err)
	}
	img := testImage(t)
	url := gorillaServer(t)
	dir := reportDir(t, "fuzzingclient-gorilla")
	started := time.Now()
	rep, err := FuzzingClient(context.Background(), Config{Image: img, Network: HostNetwork, Agent: "gorilla",
		Cases: patterns, ExcludeCases: exclude, ReportDir: dir, Timeout: 15 * time.Minute, Log: testLog{t}}, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fuzzingclient run of %d cases with %s: %v", len(want), img.ref(), time.Since(started).Round(time.Millisecond))
	checkReports(t, rep, dir, "gorilla", want)
}

func TestFuzzingServerTestsGorillaClient(t *testing.T) {
	requireDocker(t)
	patterns, exclude, want, err := oracleSelection(oracleClientRun)
	if err != nil {
		t.Fatal(err)
	}
	img := testImage(t)
	dir := reportDir(t, "fuzzingserver-gorilla")
	started := time.Now()
	// the bridge network, with the port published under the same number:
	// the path that works on every platform
	rep, err := FuzzingServer(context.Background(), Config{Image: img, Network: BridgeNetwork, Agent: "gorilla",
		Cases: patterns, ExcludeCases: exclude, ReportDir: dir, Timeout: 15 * time.Minute, Log: testLog{t}}, gorillaClient)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fuzzingserver run of %d cases with %s: %v", len(want), img.ref(), time.Since(started).Round(time.Millisecond))
	checkReports(t, rep, dir, "gorilla", want)
}
