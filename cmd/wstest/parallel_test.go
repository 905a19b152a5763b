package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/report"
)

// fuzzingClientRun runs wstest -m fuzzingclient against url with spec
// fields extra and flags, and returns the index's verdicts and the sorted
// progress lines without their durations.
func fuzzingClientRun(t *testing.T, url, extra string, flags ...string) (map[string]string, []string) {
	t.Helper()
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "g", "url": "`+url+`"}],
	  "cases": ["1.1.*", "2.*", "3.*", "5.19", "5.20", "6.4.*", "7.1.*", "9.1.1", "10.*"]`+extra+`}`)
	var stdout bytes.Buffer
	// gorilla's echo does not check UTF-8, so 6.4.x fail: the run says so
	err := run(context.Background(), append([]string{"-m", "fuzzingclient", "-s", spec}, flags...), &stdout, io.Discard)
	if err != nil && !errors.Is(err, errCasesFailed) {
		t.Fatalf("run: %v\n%s", err, stdout.String())
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	verdicts := map[string]string{}
	for id, e := range idx["g"] {
		verdicts[id] = string(e.Behavior + "/" + e.BehaviorClose)
	}
	var lines []string
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(l, "case ") {
			_, rest, _ := strings.Cut(l, ": ")
			rest, _, _ = strings.Cut(rest, " (")
			lines = append(lines, rest)
		}
	}
	slices.Sort(lines)
	return verdicts, lines
}

// --parallel and the spec's "parallel" give the serial run's verdicts and
// progress lines (as the cases finish, so compared in sorted order).
func TestFuzzingClientParallel(t *testing.T) {
	url := echoServer(t)
	serial, serialLines := fuzzingClientRun(t, url, "", "--parallel", "1")
	if len(serial) != 40 {
		t.Fatalf("%d cases in the serial run's index", len(serial))
	}
	for _, tc := range []struct {
		extra string
		flags []string
	}{{`, "parallel": 4`, nil}, {`, "parallel": 1`, []string{"--parallel", "8"}}, {"", nil}} {
		got, lines := fuzzingClientRun(t, url, tc.extra, tc.flags...)
		for id, v := range serial {
			if got[id] != v {
				t.Errorf("%s %v: case %s: %s, serially %s", tc.extra, tc.flags, id, got[id], v)
			}
		}
		if !slices.Equal(lines, serialLines) {
			t.Errorf("%s %v: progress lines differ:\n%q\nserially\n%q", tc.extra, tc.flags, lines, serialLines)
		}
	}
}

func TestParallelFlagErrors(t *testing.T) {
	for args, want := range map[string]string{
		"-m fuzzingclient --parallel 0":  "flag -parallel: must be at least 1, got 0",
		"-m fuzzingclient --parallel -3": "flag -parallel: must be at least 1, got -3",
		"-m fuzzingserver --parallel 2":  "flag -parallel: only for -m fuzzingclient",
	} {
		err := run(context.Background(), strings.Fields(args), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", args, err, want)
		}
	}
}
