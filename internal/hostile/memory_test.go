package hostile

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/timebound"
)

// liveHeap is the heap that the last garbage collection found reachable:
// what the program holds, not the garbage it has yet to collect (which
// depends on when the collector runs, not on what the case keeps).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// heapPeak runs f while sampling the live heap, and returns the highest
// live heap above what it was before, and the octets allocated in all.
func heapPeak(f func()) (peak, allocated uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	base := liveHeap()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	var top uint64
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			top = max(top, liveHeap())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if top > base {
		peak = top - base
	}
	return peak, after.TotalAlloc - before.TotalAlloc
}

// The memory of a case is bounded by the case's own sizes, whatever the
// peer announces or sends. These tests run alone (not in parallel), so that
// the heap they measure is theirs.
func TestMemoryStaysBounded(t *testing.T) {
	tests := []struct {
		peer   peer
		caseID string
		// peak bounds the live heap above the start; alloc the octets
		// allocated over the whole case.
		peak, alloc uint64
	}{
		// A header announcing 2^63-1 octets allocates nothing for them.
		{hugeLength, "2.1", 4 << 20, 8 << 20},
		{overLength, "2.1", 4 << 20, 8 << 20},
		// A flood of tiny messages for the whole case: what is kept is
		// bounded (wire log, recorded events), whatever the peer sends.
		{flood, "1.1.1", 64 << 20, 0},
		// A control frame announcing 2^62 octets, then a flood: only a
		// bounded part of its payload is kept. What dominates is the wire
		// log, full at 64 Ki entries of about 300 octets each.
		{hugePing, "2.1", 32 << 20, 0},
		// A flood while the fuzzer's own 8 MiB message cannot be written.
		{flood, "9.1.5", 64 << 20, 0},
	}
	for _, tt := range tests {
		for _, r := range []role{fuzzerClient, fuzzerServer} {
			hc := hostileCase{peer: tt.peer, role: r, caseID: tt.caseID}
			name := fmt.Sprintf("%s/%s/%s", r, tt.caseID, tt.peer.name)
			t.Run(name, func(t *testing.T) {
				var o outcome
				peak, alloc := heapPeak(func() { o = runHostile(name, hc) })
				t.Logf("peak heap +%.1f MiB, allocated %.1f MiB, %v, %s / %s", float64(peak)/(1<<20), float64(alloc)/(1<<20),
					o.elapsed.Round(time.Millisecond), verdictOf(o), closeOf(o))
				if o.res == nil {
					t.Fatalf("no result: %v", o.err)
				}
				if peak > tt.peak {
					t.Errorf("live heap grew by %d octets, more than %d", peak, tt.peak)
				}
				if tt.alloc > 0 && alloc > tt.alloc {
					t.Errorf("the case allocated %d octets, more than %d", alloc, tt.alloc)
				}
				if leaks := leaked(name, timebound.Scale(t, 3*time.Second)); leaks != "" {
					t.Errorf("goroutines left running after the case:\n%s", leaks)
				}
			})
		}
	}
}

func verdictOf(o outcome) string {
	if o.res == nil {
		return "-"
	}
	return string(o.res.Behavior)
}

func closeOf(o outcome) string {
	if o.res == nil {
		return "-"
	}
	return string(o.res.BehaviorClose)
}
