package harness

import (
	"context"
	"fmt"
	"runtime"
	"strings"
)

// Parallel bounds how many cases a Runner plays at the same time, each on
// its own connection: n = 1 plays them one after the other. The default,
// DefaultParallel, overlaps the cases' waits (6.4.x's pauses, 5.19/5.20,
// the closing timers of peers that do not close): most cases spend their
// time waiting, not computing. Whatever the bound, the CPU-heavy cases
// (Heavy: 9.x, 12.x and 13.x) play at most GOMAXPROCS at a time, so that
// they never starve each other or the timer-decided cases of CPU.
func Parallel(n int) Option {
	return func(c *Config) {
		if n < 1 {
			c.fail("harness: Parallel(%d): the bound must be at least 1", n)
			return
		}
		c.parallel = n
	}
}

// DefaultParallel is the bound when Parallel is not given: 8 cases per
// CPU (GOMAXPROCS), at least 8 and at most 32.
func DefaultParallel() int { return min(max(8*runtime.GOMAXPROCS(0), 8), 32) }

// Parallel is the bound on cases played at the same time.
func (c *Config) Parallel() int {
	if c.parallel == 0 {
		return DefaultParallel()
	}
	return c.parallel
}

// HeavyParallel is the bound on Heavy cases played at the same time: the
// lesser of Parallel and GOMAXPROCS.
func (c *Config) HeavyParallel() int { return max(min(c.Parallel(), runtime.GOMAXPROCS(0)), 1) }

// Heavy reports whether case id is CPU-heavy for the fuzzer: 9.x (large
// and many messages), 12.x and 13.x (compression).
func Heavy(id string) bool {
	switch strings.SplitN(id, ".", 2)[0] {
	case "9", "12", "13":
		return true
	}
	return false
}

// gate holds the slots of a Runner: every case takes one of all, a heavy
// case first one of heavy.
type gate struct{ all, heavy chan struct{} }

func newGate(c *Config) *gate {
	return &gate{all: make(chan struct{}, c.Parallel()), heavy: make(chan struct{}, c.HeavyParallel())}
}

// enter waits for the slots of case id and returns the function that gives
// them back, or an error when ctx ends first.
func (g *gate) enter(ctx context.Context, id string) (func(), error) {
	heavy := Heavy(id)
	if heavy {
		select {
		case g.heavy <- struct{}{}:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for a slot among %d heavy cases: %w", cap(g.heavy), context.Cause(ctx))
		}
	}
	select {
	case g.all <- struct{}{}:
	case <-ctx.Done():
		if heavy {
			<-g.heavy
		}
		return nil, fmt.Errorf("waiting for a slot among %d cases: %w", cap(g.all), context.Cause(ctx))
	}
	return func() {
		<-g.all
		if heavy {
			<-g.heavy
		}
	}, nil
}
