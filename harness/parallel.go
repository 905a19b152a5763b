package harness

import (
	"runtime"

	"github.com/wsfuzz/autobahn/internal/heavy"
)

// Parallel bounds how many cases a Runner plays at the same time, each on
// its own connection: n = 1 plays them one after the other. The default,
// DefaultParallel, overlaps the cases' waits (6.4.x's pauses, 5.19/5.20,
// the closing timers of peers that do not close): most cases spend their
// time waiting, not computing. Whatever the bound, the CPU-heavy cases
// (Heavy: 9.x, 12.x and 13.x) play at most GOMAXPROCS/2 at a time (at
// least one) beside light cases in the whole process, whatever runs them
// (every Runner, suite registration and fakeclient run), and GOMAXPROCS
// when no light case plays: each keeps two CPUs busy, the fuzzer's and the
// peer's, and the timer-decided cases beside them need the rest.
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

// HeavyParallel is the bound on Heavy cases played at the same time beside
// light ones: the lesser of Parallel and the process's bound, GOMAXPROCS/2
// (at least one), which all runners of the process share.
func (c *Config) HeavyParallel() int { return min(c.Parallel(), heavy.Slots()) }

// Heavy reports whether case id is CPU-heavy for the fuzzer: 9.x (large
// and many messages), 12.x and 13.x (compression).
func Heavy(id string) bool { return heavy.Case(id) }
