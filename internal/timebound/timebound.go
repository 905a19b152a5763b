// Package timebound scales the wall-clock bounds of tests to how fast code
// runs where they run, so that a bound that catches a hang still holds on a
// loaded two-core machine under the race detector: a margin is multiplied
// by RaceFactor when the race detector is on, and by the number in
// $AUTOBAHN_TEST_SLOWDOWN when set (for machines slower still).
package timebound

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// RaceFactor is how much the race detector is taken to slow the tests down:
// it makes Go code 2 to 20 times slower, and a test's wall time mostly waits
// on timers that it does not slow.
const RaceFactor = 3

// Env names the variable that multiplies every margin further.
const Env = "AUTOBAHN_TEST_SLOWDOWN"

// Scale returns the margin d for this run: d times RaceFactor under the
// race detector, times $AUTOBAHN_TEST_SLOWDOWN when set. A bad value of the
// variable fails the test.
func Scale(tb testing.TB, d time.Duration) time.Duration {
	tb.Helper()
	f := 1.0
	if raceEnabled {
		f = RaceFactor
	}
	if v := os.Getenv(Env); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 1 {
			tb.Fatalf("$%s=%q: want a number of at least 1", Env, v)
		}
		f *= n
	}
	return time.Duration(float64(d) * f)
}
