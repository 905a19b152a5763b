package conformance

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lxzan/gws"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/echopeer/gwspeer"
)

// parallelSections are the cases TestConcurrencyKeepsVerdicts compares: by
// default a representative set (every case of 1.x-4.x, 7.x and 10.x, the
// timer-decided 5.19, 5.20 and 6.4.x, some of 6.x and 9.x): 108 cases,
// about 10 s one at a time and 2 s concurrently on 2 cores; with
// CONFORMANCE_PARALLEL_FULL set all of 1.x-10.x (301 cases).
func parallelSections() []string {
	if os.Getenv("CONFORMANCE_PARALLEL_FULL") != "" {
		return []string{"1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "8.*", "9.*", "10.*"}
	}
	return []string{"1.*", "2.*", "3.*", "4.*", "5.19", "5.20", "6.1.*", "6.3.*", "6.4.*", "6.6.*", "7.*",
		"9.1.1", "9.2.1", "9.7.1", "9.8.1", "10.*"}
}

// peerRun is one peer in one role.
type peerRun struct {
	name string
	new  func(opts ...harness.Option) (*harness.Runner, error)
}

func peerRuns() []peerRun {
	server := func(name string, h http.HandlerFunc) peerRun {
		return peerRun{"server " + name, func(opts ...harness.Option) (*harness.Runner, error) {
			return harness.Server(name, harness.Handler(h), opts...)
		}}
	}
	client := func(name string, c harness.ClientFunc) peerRun {
		return peerRun{"client " + name, func(opts ...harness.Option) (*harness.Runner, error) {
			return harness.Client(name, c, opts...)
		}}
	}
	return []peerRun{server("gorilla", gorillaServer), server("coder", coderServer),
		client("gorilla", gorillaClient), client("coder", coderClient)}
}

// playVerdicts plays every case of r, each from its own goroutine (the
// runner's bound holds them back), and returns behavior/behaviorClose by case.
func playVerdicts(t *testing.T, r *harness.Runner) map[string]string {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[string]string{}
	for _, id := range r.IDs() {
		wg.Go(func() {
			res, _, err := r.Play(context.Background(), id, harness.Seed{})
			v := "error"
			if err == nil {
				v = string(res.Behavior + "/" + res.BehaviorClose)
			} else {
				t.Errorf("case %s: %v", id, err)
			}
			mu.Lock()
			out[id] = v
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// TestConcurrencyKeepsVerdicts plays the cases of parallelSections against
// gorilla's and coder's echo peers in both roles, first one case at a time
// (Parallel(1)), then with the default bound, and requires the same
// behavior and behaviorClose for every case. The four peers and roles run
// at once in either phase, so the concurrent phase has up to four times the
// bound in flight.
func TestConcurrencyKeepsVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("plays the cases twice against four peers")
	}
	t.Parallel()
	phase := func(opts ...harness.Option) (map[string]map[string]string, time.Duration) {
		start := time.Now()
		var mu sync.Mutex
		var wg sync.WaitGroup
		out := map[string]map[string]string{}
		for _, p := range peerRuns() {
			wg.Go(func() {
				r, err := p.new(append(opts, harness.Cases(parallelSections()...))...)
				if err != nil {
					t.Error(err)
					return
				}
				v := playVerdicts(t, r)
				mu.Lock()
				out[p.name] = v
				mu.Unlock()
			})
		}
		wg.Wait()
		return out, time.Since(start)
	}
	serial, ts := phase(harness.Parallel(1))
	concurrent, tc := phase()
	n := 0
	for name, want := range serial {
		for id, v := range want {
			n++
			if got := concurrent[name][id]; got != v {
				t.Errorf("%s, case %s: %s one at a time, %s concurrently", name, id, v, got)
			}
		}
	}
	t.Logf("%d verdicts compared; one case at a time %v, concurrently (bound %d) %v", n, ts.Round(time.Millisecond), harness.DefaultParallel(), tc.Round(time.Millisecond))
}

// BenchmarkCatalogGorillaParallel runs 1.x-10.x (301 cases) against
// gorilla's echo server in this process, as wstest -m fuzzingclient does:
// one case at a time and with the default bound.
func BenchmarkCatalogGorillaParallel(b *testing.B) {
	ids, err := cases.Resolve([]string{"*"}, []string{"12.*", "13.*"})
	if err != nil {
		b.Fatal(err)
	}
	url := serve(b, gorillaServer)
	for _, n := range []int{1, harness.DefaultParallel()} {
		b.Run("parallel="+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				res, err := fakeclient.Run(context.Background(), fakeclient.Config{URL: url, Agent: "gorilla", Cases: ids, Parallel: n})
				if err != nil || len(res) != len(ids) {
					b.Fatalf("%d results of %d: %v", len(res), len(ids), err)
				}
			}
			b.ReportMetric(float64(len(ids)), "cases")
		})
	}
}

// gwsUtf8Upgrader is gws's echo server as issue 10 measures it:
// permessage-deflate with context takeover and its own UTF-8 check.
var gwsUtf8Upgrader = gws.NewUpgrader(gwspeer.Echo{}, &gws.ServerOption{PermessageDeflate: gwsDeflate,
	CheckUtf8Enabled: true, ReadMaxPayloadSize: readLimit})

// BenchmarkCatalogGwsParallel runs all 517 cases against gws's echo server
// with permessage-deflate in this process, as wstest -m fuzzingclient does,
// with the default bound (parallel=1, one case at a time, takes about four
// minutes on two cores): go test ./internal/conformance -run '^$' -bench
// 'CatalogGwsParallel/parallel=16' -benchtime 1x.
func BenchmarkCatalogGwsParallel(b *testing.B) {
	ids, err := cases.Resolve([]string{"*"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	url := serve(b, func(w http.ResponseWriter, r *http.Request) {
		if socket, err := gwsUtf8Upgrader.Upgrade(w, r); err == nil {
			socket.ReadLoop()
		}
	})
	for _, n := range []int{1, harness.DefaultParallel()} {
		b.Run("parallel="+strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				res, err := fakeclient.Run(context.Background(), fakeclient.Config{URL: url, Agent: "gws", Cases: ids, Parallel: n})
				if err != nil || len(res) != len(ids) {
					b.Fatalf("%d results of %d: %v", len(res), len(ids), err)
				}
			}
			b.ReportMetric(float64(len(ids)), "cases")
		})
	}
}
