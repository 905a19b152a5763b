package harness

import (
	"runtime"
)

// Parallel bounds how many cases a Runner plays at the same time, each on
// its own connection: n = 1 plays them one after the other. The default,
// DefaultParallel, overlaps the cases' waits (6.4.x's pauses, 5.19/5.20,
// the closing timers of peers that do not close): most cases spend their
// time waiting, not computing. Whatever the bound, the CPU-heavy cases
// (cases.Case.Heavy: 9.x, 12.x and 13.x) work at most GOMAXPROCS/2 at a
// time (at least one) beside light cases in the whole process, whatever
// runs them (every Runner, suite registration and fakeclient run), and
// GOMAXPROCS when no light case plays: each keeps two CPUs busy, the
// fuzzer's and the peer's, and the timer-decided cases beside them need
// the rest. A heavy case counts only while traffic moves on its
// connection: one that waits (on its timers, on a peer that does not
// answer) holds back no other case.
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
