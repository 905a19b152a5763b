// Package heavy knows which Autobahn cases are CPU-heavy for the fuzzer and
// bounds how many of them play at the same time in the whole process.
//
// The bound is process-wide, not per run: a test binary may play several
// registrations at once (a Ginkgo suite starts the cases of its client and
// its server registration together), and heavy cases of one beside the
// timer-decided cases of another would take the CPU those cases need to
// answer within their timers (6.x gives the peer 0.5 s). A heavy case keeps
// two CPUs busy, the fuzzer's and the peer's; with at most half the CPUs'
// worth of heavy cases in the process, the light cases beside them keep
// their verdicts under load (on two cores, with the race detector and the
// CPU loaded from outside, 6.x cases beside 9.x took up to 63 ms with this
// bound and up to 419 ms with GOMAXPROCS heavy cases).
package heavy

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Case reports whether case id is CPU-heavy for the fuzzer: 9.x (large and
// many messages), 12.x and 13.x (compression).
func Case(id string) bool {
	switch strings.SplitN(id, ".", 2)[0] {
	case "9", "12", "13":
		return true
	}
	return false
}

// Slots is how many heavy cases the process plays at the same time: half
// of GOMAXPROCS, at least one, read at every entry and exit.
func Slots() int { return max(runtime.GOMAXPROCS(0)/2, 1) }

var (
	mu      sync.Mutex
	playing int
	waiting []chan struct{} // in the order they came
)

// Enter waits for one of the process's slots for heavy cases, first come
// first served, and returns the function that gives it back (once, however
// often it is called), or an error when ctx ends first.
func Enter(ctx context.Context) (func(), error) {
	mu.Lock()
	if len(waiting) == 0 && playing < Slots() {
		playing++
		mu.Unlock()
		return sync.OnceFunc(leave), nil
	}
	granted := make(chan struct{})
	waiting = append(waiting, granted)
	mu.Unlock()
	select {
	case <-granted:
		return sync.OnceFunc(leave), nil
	case <-ctx.Done():
	}
	mu.Lock()
	if i := slices.Index(waiting, granted); i >= 0 {
		waiting = slices.Delete(waiting, i, i+1)
		mu.Unlock()
	} else { // granted as ctx ended: give it to the next
		mu.Unlock()
		leave()
	}
	return nil, fmt.Errorf("waiting for one of the process's %d slots for heavy cases: %w", Slots(), context.Cause(ctx))
}

// leave gives a slot back and hands the free ones to the waiters.
func leave() {
	mu.Lock()
	defer mu.Unlock()
	playing--
	for len(waiting) > 0 && playing < Slots() {
		close(waiting[0])
		waiting = waiting[1:]
		playing++
	}
}
