// Package heavy knows which Autobahn cases are CPU-heavy for the fuzzer and
// bounds, in the whole process, how many of them play at the same time and
// beside how many light ones.
//
// The bound is process-wide, not per run: a test binary may play several
// registrations at once (a Ginkgo suite starts the cases of its client and
// its server registration together), and heavy cases of one beside the
// timer-decided cases of another take the CPU those cases need to answer
// within their timers (6.x gives the peer 0.5 s). A heavy case keeps two
// CPUs busy, the fuzzer's and the peer's. So heavy cases play at most
// GOMAXPROCS at a time when no light case plays or waits, and at most
// GOMAXPROCS/2 (at least one) beside light ones; a light case waits while
// more than that play (docs/performance.md has the measurements behind
// this bound). A Gate adds the bound of one run on top.
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

// Slots is how many heavy cases the process plays at the same time beside
// light ones: half of GOMAXPROCS, at least one. Alone they may take
// GOMAXPROCS. Both are read at every entry and exit.
func Slots() int { return max(runtime.GOMAXPROCS(0)/2, 1) }

// alone is how many heavy cases play when no light case plays or waits.
func alone() int { return max(runtime.GOMAXPROCS(0), 1) }

// waiter is a case waiting to enter.
type waiter struct {
	heavy   bool
	granted chan struct{}
}

var (
	mu           sync.Mutex
	heavyPlaying int
	lightPlaying int
	waiting      []*waiter // in the order they came
)

// Enter waits until case id may play and returns the function that tells
// that it ended (once, however often it is called), or an error when ctx
// ends first. Every case a process plays enters, light ones too: a heavy
// case takes one of Slots beside light ones (GOMAXPROCS alone), a light
// case waits while more than Slots heavy ones play. Waiters of a kind
// enter in the order they came.
func Enter(ctx context.Context, id string) (func(), error) {
	w := &waiter{heavy: Case(id), granted: make(chan struct{})}
	mu.Lock()
	if !slices.ContainsFunc(waiting, func(o *waiter) bool { return o.heavy == w.heavy }) && fits(w.heavy) {
		take(w.heavy)
		mu.Unlock()
		return leaver(w.heavy), nil
	}
	waiting = append(waiting, w)
	mu.Unlock()
	select {
	case <-w.granted:
		return leaver(w.heavy), nil
	case <-ctx.Done():
	}
	mu.Lock()
	if i := slices.Index(waiting, w); i >= 0 {
		waiting = slices.Delete(waiting, i, i+1)
		grant() // a light case no longer waiting may let heavy ones in
		mu.Unlock()
	} else { // granted as ctx ended: give it back
		mu.Unlock()
		leaver(w.heavy)()
	}
	if w.heavy {
		return nil, fmt.Errorf("waiting for one of the process's %d slots for heavy cases: %w", Slots(), context.Cause(ctx))
	}
	return nil, fmt.Errorf("waiting for the process's heavy cases to leave room: %w", context.Cause(ctx))
}

// fits reports whether a case of the kind may start now. mu is held.
func fits(heavy bool) bool {
	if !heavy {
		return heavyPlaying <= Slots()
	}
	lightWaits := slices.ContainsFunc(waiting, func(o *waiter) bool { return !o.heavy })
	if lightPlaying == 0 && !lightWaits {
		return heavyPlaying < alone()
	}
	return heavyPlaying < Slots()
}

// take counts a case of the kind as playing. mu is held.
func take(heavy bool) {
	if heavy {
		heavyPlaying++
	} else {
		lightPlaying++
	}
}

// leaver is the function that ends a case of the kind.
func leaver(heavy bool) func() {
	return sync.OnceFunc(func() {
		mu.Lock()
		defer mu.Unlock()
		if heavy {
			heavyPlaying--
		} else {
			lightPlaying--
		}
		grant()
	})
}

// grant lets in the waiters that fit, in order, each kind behind the first
// of its kind that does not. mu is held.
func grant() {
	blocked := map[bool]bool{}
	for i := 0; i < len(waiting); {
		w := waiting[i]
		if blocked[w.heavy] || !fits(w.heavy) {
			blocked[w.heavy] = true
			i++
			continue
		}
		waiting = slices.Delete(waiting, i, i+1)
		take(w.heavy)
		close(w.granted)
	}
}
