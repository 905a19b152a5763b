// Package conformance checks our fuzzer against the real one: the same
// libraries' echo peers must get, case by case, the verdicts the real fuzzer
// gave them (testdata/oracle.tsv, derived from its reports).
package conformance

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"net/http"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/report"
)

// sections are the case sections this run compares, from CONFORMANCE_CASES
// (comma-separated patterns) or 1.x-5.x.
func sections() []string {
	if v := os.Getenv("CONFORMANCE_CASES"); v != "" {
		return strings.Split(v, ",")
	}
	return []string{"1.*", "2.*", "3.*", "4.*", "5.*"}
}

func selected(t *testing.T, oracle map[string]verdict) []string {
	ids, err := cases.Resolve(sections(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, id := range ids {
		if _, ok := oracle[id]; ok {
			out = append(out, id)
		}
	}
	return out
}

func compare(t *testing.T, run string, want map[string]verdict, results map[string]*report.Result) {
	t.Helper()
	var agree, flaky int
	var diffs []string
	for id, w := range want {
		r, ok := results[id]
		if !ok {
			continue
		}
		got := r.Behavior + "/" + r.BehaviorClose
		exp := w.behavior + "/" + w.behaviorClose
		switch {
		case got == exp:
			agree++
		case w.flaky:
			flaky++
			t.Logf("%s %s: got %s, real fuzzer %s (flaky there)", run, id, got, exp)
		default:
			diffs = append(diffs, fmt.Sprintf("%s: got %s, real fuzzer %s (%s)", id, got, exp, r.ResultClose))
		}
	}
	t.Logf("%s: %d of %d cases agree with the real fuzzer, %d flaky ones differ", run, agree, len(results), flaky)
	for _, d := range diffs {
		t.Errorf("%s %s", run, d)
	}
}

// TestServersAgainstOracle runs the fake client against real libraries'
// echo servers.
func TestServersAgainstOracle(t *testing.T) {
	oracle := loadOracle(t)
	for _, lib := range []struct {
		name    string
		handler http.HandlerFunc
	}{{"gorilla", gorillaServer}, {"coder", coderServer}} {
		t.Run(lib.name, func(t *testing.T) {
			t.Parallel()
			run := "fuzzingclient-" + lib.name
			want := oracle[run]
			url := serve(t, lib.handler)
			results := map[string]*report.Result{}
			for _, id := range selected(t, want) {
				r, err := fakeclient.RunCase(context.Background(), url, lib.name, id, nil)
				if err != nil {
					t.Fatalf("case %s: %v", id, err)
				}
				results[id] = r
			}
			compare(t, run, want, results)
		})
	}
}

// TestClientsAgainstOracle runs real libraries' echo clients against the
// fake server.
func TestClientsAgainstOracle(t *testing.T) {
	oracle := loadOracle(t)
	for _, lib := range []struct {
		name   string
		client fakeserver.ClientFunc
	}{{"gorilla", gorillaClient}, {"coder", coderClient}} {
		t.Run(lib.name, func(t *testing.T) {
			t.Parallel()
			run := "fuzzingserver-" + lib.name
			want := oracle[run]
			srv, err := fakeserver.New(fakeserver.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			results := map[string]*report.Result{}
			var mu sync.Mutex
			for _, id := range selected(t, want) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				r, err := srv.RunCase(ctx, id, lib.name, lib.client)
				cancel()
				if r == nil {
					t.Fatalf("case %s: %v", id, err)
				}
				mu.Lock()
				results[id] = r
				mu.Unlock()
			}
			compare(t, run, want, results)
		})
	}
}
