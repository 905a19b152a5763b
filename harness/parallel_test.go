package harness

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// inFlight is an echo server that counts its connections in flight; with
// hold, it waits that long before it answers a handshake, so that the
// cases overlap.
type inFlight struct {
	now, most atomic.Int64
	hold      time.Duration
}

func (f *inFlight) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.now.Add(1)
		defer f.now.Add(-1)
		for {
			m := f.most.Load()
			if n <= m || f.most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(f.hold)
		echopeer.GorillaServer(w, r)
	})
}

// playAll plays every id of r at once, each from its own goroutine, and
// fails the test on an error.
func playAll(t *testing.T, r *Runner, ids []string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			if _, _, err := r.Play(context.Background(), id, Seed{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// TestParallelBound plays many cases at once through runners with a bound
// and counts the server's connections in flight: never above the bound, and
// up to it (the cases wait long enough to overlap). Heavy cases stay within
// GOMAXPROCS/2 (at least one) whatever the bound.
func TestParallelBound(t *testing.T) {
	defer goleak.VerifyNone(t)
	light := []string{"1.1.1", "1.1.2", "1.2.1", "2.1", "2.2", "5.19", "5.20", "6.4.1", "6.4.2", "7.1.1", "7.1.2"}
	for _, n := range []int{1, 3} {
		var f inFlight
		r, err := Server("g", Handler(f.handler()), Parallel(n))
		if err != nil {
			t.Fatal(err)
		}
		playAll(t, r, light)
		if got := f.most.Load(); got != int64(n) {
			t.Errorf("Parallel(%d): at most %d connections in flight, want %d", n, got, n)
		}
	}

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var f inFlight
	r, err := Server("g", Handler(f.handler()), Parallel(6))
	if err != nil {
		t.Fatal(err)
	}
	if r.Config().HeavyParallel() != 1 {
		t.Fatalf("heavy bound %d with GOMAXPROCS 1", r.Config().HeavyParallel())
	}
	playAll(t, r, []string{"9.1.1", "9.1.2", "9.2.1", "9.2.2", "12.1.1", "12.1.2", "13.1.1"})
	if got := f.most.Load(); got != 1 {
		t.Errorf("heavy cases: at most %d connections in flight, want 1", got)
	}
}

// TestHeavyBoundProcessWide plays heavy cases through one runner beside
// light cases of another, as a suite plays its client and server
// registrations at once: beside them the heavy cases stay within
// GOMAXPROCS/2, so that they do not take the CPU the timer-decided light
// cases need.
func TestHeavyBoundProcessWide(t *testing.T) {
	defer goleak.VerifyNone(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	heavy := inFlight{hold: 50 * time.Millisecond}
	var light inFlight
	hr, err := Server("heavy", Handler(heavy.handler()), Parallel(6))
	if err != nil {
		t.Fatal(err)
	}
	lr, err := Server("light", Handler(light.handler()), Parallel(6))
	if err != nil {
		t.Fatal(err)
	}
	if hr.Config().HeavyParallel() != 2 {
		t.Fatalf("heavy bound of a runner %d with GOMAXPROCS 4", hr.Config().HeavyParallel())
	}
	var wg sync.WaitGroup
	wg.Go(func() { playAll(t, lr, []string{"6.4.1", "6.4.2", "5.19", "5.20"}) }) // 1-2 s each
	for light.now.Load() < 4 {
		time.Sleep(time.Millisecond)
	}
	wg.Go(func() { playAll(t, hr, []string{"9.1.1", "9.1.2", "9.2.1", "9.2.2", "12.1.1", "12.1.2"}) })
	wg.Wait()
	if got := heavy.most.Load(); got != 2 {
		t.Errorf("heavy cases beside light ones: at most %d connections in flight, want 2", got)
	}
}

func TestParallelOption(t *testing.T) {
	if _, err := NewConfig(Parallel(0)); err == nil || !strings.Contains(err.Error(), "Parallel(0): the bound must be at least 1") {
		t.Errorf("Parallel(0): %v", err)
	}
	c, err := NewConfig()
	if err != nil || c.Parallel() != DefaultParallel() || c.Parallel() < 8 {
		t.Errorf("default bound %d (%v)", c.Parallel(), err)
	}
	for id, want := range map[string]bool{"9.1.1": true, "12.2.10": true, "13.7.18": true, "1.1.9": false, "10.1.1": false} {
		if Heavy(id) != want {
			t.Errorf("Heavy(%q) = %v", id, !want)
		}
	}
}
