package fakeclient

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/sched"
	"github.com/wsfuzz/autobahn/report"
)

// countingEcho is gorilla's echo server counting its connections in flight.
func countingEcho(t *testing.T, most *atomic.Int64) string {
	t.Helper()
	var now atomic.Int64
	url, stop, err := echopeer.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		echopeer.GorillaServer(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// A parallel run gives the serial run's verdicts, in case order, calls
// Progress once per case, and has as many connections in flight as its
// bound, not more.
func TestRunParallel(t *testing.T) {
	ids := []string{"1.1.1", "1.1.2", "2.1", "2.10", "3.1", "5.19", "5.20", "6.4.1", "6.4.2", "7.1.1", "9.1.1", "10.1.1"}
	verdicts := func(rs []*report.Result) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID+" "+string(r.Behavior+"/"+r.BehaviorClose))
		}
		return out
	}
	var mostSerial, mostParallel atomic.Int64
	serial, err := Run(context.Background(), Config{URL: countingEcho(t, &mostSerial), Cases: ids})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var progressed []string
	start := time.Now()
	parallel, err := Run(context.Background(), Config{URL: countingEcho(t, &mostParallel), Cases: ids, Parallel: 4,
		Progress: func(n, total int, r *report.Result) {
			mu.Lock()
			defer mu.Unlock()
			if ids[n-1] != r.ID || total != len(ids) {
				t.Errorf("progress %d of %d for case %s", n, total, r.ID)
			}
			progressed = append(progressed, r.ID)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := verdicts(serial), verdicts(parallel); !slices.Equal(a, b) {
		t.Errorf("serially %q, in parallel %q", a, b)
	}
	if len(progressed) != len(ids) {
		t.Errorf("progress for %q", progressed)
	}
	// The server's handler notices a connection's end a moment after the
	// fuzzer closed it and started the next case, so it may count one more
	// than the fuzzer has open (harness's TestParallelBound, whose Handler
	// target waits for the handler, counts exactly).
	if s, p := mostSerial.Load(), mostParallel.Load(); s > 2 || p < 4 || p > 5 {
		t.Errorf("connections in flight: at most %d serially, %d with Parallel 4", s, p)
	}
	t.Logf("%d cases in parallel in %v", len(ids), time.Since(start))
}

// A limit in a parallel run cuts every case running short and names the
// cases never started; a server that cannot be reached stops the run.
func TestRunParallelLimit(t *testing.T) {
	ids := []string{"1.1.1", "5.19", "5.20", "1.1.2"} // 5.19 and 5.20 pause 1 s
	var most atomic.Int64
	res, err := Run(context.Background(), Config{URL: countingEcho(t, &most), Cases: ids, Parallel: 2, MaxDuration: 500 * time.Millisecond})
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("error %v, want a *LimitError", err)
	}
	if le.CutShort != "5.19" || !slices.Equal(le.AlsoCutShort, []string{"5.20"}) || !slices.Equal(le.NotReached, []string{"1.1.2"}) {
		t.Errorf("cut short %q and %q, not reached %q", le.CutShort, le.AlsoCutShort, le.NotReached)
	}
	if !strings.Contains(err.Error(), "case 5.19, 5.20 cut short; 1 case not reached: 1.1.2") {
		t.Errorf("error text %q", err)
	}
	if len(res) != 1 || res[0].ID != "1.1.1" {
		t.Errorf("results %v, want 1.1.1 alone", res)
	}

	res, err = Run(context.Background(), Config{URL: "ws://127.0.0.1:1/", Cases: ids, Parallel: 4})
	if err == nil || len(res) != 0 {
		t.Errorf("unreachable server: %d results, error %v", len(res), err)
	}
}

// Two parallel runs at once, as two fuzzers in one process, one of heavy
// cases, one of light cases that last: beside the light ones the heavy
// cases stay within half the CPUs of the limiter both enter.
func TestRunParallelHeavyProcessWide(t *testing.T) {
	l := sched.New(4, time.Hour)
	var lightMost, heavyNow, heavyMost atomic.Int64
	lightURL := countingEcho(t, &lightMost)
	heavyURL, stop, err := echopeer.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := heavyNow.Add(1)
		defer heavyNow.Add(-1)
		for m := heavyMost.Load(); n > m && !heavyMost.CompareAndSwap(m, n); m = heavyMost.Load() {
		}
		time.Sleep(50 * time.Millisecond) // the cases overlap
		echopeer.GorillaServer(w, r)
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	var wg sync.WaitGroup
	run := func(url string, ids []string) {
		wg.Go(func() {
			res, err := Run(context.Background(), Config{URL: url, Cases: ids, Parallel: 6, limiter: l})
			if err != nil || len(res) != len(ids) {
				t.Errorf("run: %d results, %v", len(res), err)
			}
		})
	}
	run(lightURL, []string{"6.4.1", "6.4.2", "5.19", "5.20"}) // 1-2 s each
	for lightMost.Load() < 4 {
		time.Sleep(time.Millisecond)
	}
	run(heavyURL, []string{"9.1.1", "9.1.2", "9.2.1", "9.2.2", "12.1.1", "12.1.2"})
	wg.Wait()
	// a handler may still be ending its connection when the next case's
	// connection arrives: one more than the bound, not two
	if got := heavyMost.Load(); got < 2 || got > 3 {
		t.Errorf("heavy cases beside light ones: at most %d connections in flight, want 2 (3 with a handler's lag)", got)
	}
}
