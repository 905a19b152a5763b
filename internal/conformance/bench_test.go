package conformance

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
)

// realWall is the real fuzzer's best wall time, in seconds, for the same
// cases against the same gorilla echo server (../shared/oracle).
const realWall = "../../../shared/oracle/fuzzingclient-gorilla/WALL"

// BenchmarkCatalogGorilla runs 1.x-10.x (every case an implementation
// without compression runs) one after the other, as the real fuzzer does,
// against gorilla's echo server in this process. It reports the peak heap
// of the whole process (fuzzer and server) and, when the reference results
// are at hand, the real fuzzer's wall time for the same run.
func BenchmarkCatalogGorilla(b *testing.B) {
	ids, err := cases.Resolve([]string{"*"}, []string{"12.*", "13.*"})
	if err != nil {
		b.Fatal(err)
	}
	url := serve(b, gorillaServer)
	peak := watchHeap(b, false)
	for b.Loop() {
		for _, id := range ids {
			if _, err := fakeclient.RunCase(context.Background(), url, "gorilla", id, nil); err != nil {
				b.Fatalf("case %s: %v", id, err)
			}
		}
	}
	b.ReportMetric(float64(len(ids)), "cases")
	b.ReportMetric(peak().heap/(1<<20), "peak-heap-MiB")
	if raw, err := os.ReadFile(realWall); err == nil {
		if s, err := strconv.ParseFloat(strings.TrimSpace(string(raw)), 64); err == nil {
			b.ReportMetric(s, "real-fuzzer-s")
		}
	}
}

// BenchmarkLargeMessages runs the 16 MiB cases (9.1.6 text, 9.2.6 binary)
// and reports the peak heap, and how many copies of the message the fuzzer
// and the in-process echo server hold at once: at every new high of the heap
// a collection runs, and held/msg is the most it found in use beyond what
// the test binary held before.
func BenchmarkLargeMessages(b *testing.B) {
	url := serve(b, gorillaServer)
	for _, id := range []string{"9.1.6", "9.2.6"} {
		b.Run(id, func(b *testing.B) {
			c, _ := cases.ByID(id)
			peak := watchHeap(b, true)
			for b.Loop() {
				r, err := fakeclient.RunCase(context.Background(), url, "gorilla", id, nil)
				if err != nil {
					b.Fatal(err)
				}
				if r.Behavior != "OK" {
					b.Fatalf("case %s: %s (%s)", id, r.Behavior, r.Result)
				}
			}
			p := peak()
			b.ReportMetric(p.heap/(1<<20), "peak-heap-MiB")
			b.ReportMetric(p.held/float64(c.Echo.Length), "held/msg")
		})
	}
}

// heapPeaks are the highest heap figures seen while a benchmark ran.
type heapPeaks struct {
	// heap is live and not yet collected objects.
	heap float64
	// held is the most a collection found in use beyond what was in use
	// before the benchmark (only when collecting at every new high).
	held float64
}

// watchHeap samples the heap until the benchmark ends and returns a
// function giving the peaks. With collect, every new high of the heap (by
// 1 MiB or more) runs a collection to see how much of it is held.
func watchHeap(tb testing.TB, collect bool) func() heapPeaks {
	heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	runtime.GC()
	metrics.Read(live)
	base := float64(live[0].Value.Uint64())
	var mu sync.Mutex
	var peaks heapPeaks
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			metrics.Read(heap)
			h := float64(heap[0].Value.Uint64())
			mu.Lock()
			high := h >= peaks.heap+1<<20
			peaks.heap = max(peaks.heap, h)
			mu.Unlock()
			if collect && high {
				runtime.GC()
				metrics.Read(live)
				mu.Lock()
				peaks.held = max(peaks.held, float64(live[0].Value.Uint64())-base)
				mu.Unlock()
			}
		}
	}()
	var once sync.Once
	end := func() { once.Do(func() { close(stop) }); <-done }
	tb.Cleanup(end)
	return func() heapPeaks {
		end()
		mu.Lock()
		defer mu.Unlock()
		return peaks
	}
}
