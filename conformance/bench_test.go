package conformance

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
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
const realWall = "../../shared/oracle/fuzzingclient-gorilla/WALL"

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
	peak := watchHeap(b)
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
// and reports the peak heap, also in message sizes: heap/msg counts objects
// not yet collected, live/msg what the latest collection found in use, so
// how many copies of the message the fuzzer and the in-process echo server
// hold at once. The collector runs often meanwhile, so that both stay close
// to what is held.
func BenchmarkLargeMessages(b *testing.B) {
	url := serve(b, gorillaServer)
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	for _, id := range []string{"9.1.6", "9.2.6"} {
		b.Run(id, func(b *testing.B) {
			c, _ := cases.ByID(id)
			peak := watchHeap(b)
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
			b.ReportMetric(p.heap/float64(c.Echo.Length), "heap/msg")
			b.ReportMetric(p.live/float64(c.Echo.Length), "live/msg")
		})
	}
}

// heapPeaks are the highest heap figures seen while a benchmark ran.
type heapPeaks struct {
	// heap is live and not yet collected objects.
	heap float64
	// live is the heap marked live by the latest collection.
	live float64
}

// watchHeap samples the heap until the benchmark ends and returns a
// function giving the peaks.
func watchHeap(tb testing.TB) func() heapPeaks {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	var mu sync.Mutex
	var peak [2]uint64
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
				metrics.Read(samples)
				mu.Lock()
				for i, s := range samples {
					peak[i] = max(peak[i], s.Value.Uint64())
				}
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
		return heapPeaks{heap: float64(peak[0]), live: float64(peak[1])}
	}
}
