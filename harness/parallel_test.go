package harness

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/sched"
	"github.com/wsfuzz/autobahn/internal/timebound"
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

// withLimiter makes a runner enter l instead of the process's limiter.
func withLimiter(l *sched.Limiter) Option { return func(c *Config) { c.limiter = l } }

// TestParallelBound plays many cases at once through runners with a bound
// and counts the server's connections in flight: never above the bound, and
// up to it (the cases wait long enough to overlap). Heavy cases stay within
// the CPUs' bound (one CPU here) whatever the Parallel bound.
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

	var f inFlight
	r, err := Server("g", Handler(f.handler()), Parallel(6), withLimiter(sched.New(1, time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	playAll(t, r, []string{"9.1.1", "9.1.2", "9.2.1", "9.2.2", "12.1.1", "12.1.2", "13.1.1"})
	if got := f.most.Load(); got != 1 {
		t.Errorf("heavy cases: at most %d connections in flight, want 1", got)
	}
}

// TestHeavyBoundAcrossRunners plays heavy cases through one runner beside
// light cases of another, as a suite plays its client and server
// registrations at once: beside them the heavy cases stay within half the
// CPUs, so that they do not take the CPU the timer-decided light cases
// need. Every runner enters the process's limiter unless told otherwise.
func TestHeavyBoundAcrossRunners(t *testing.T) {
	defer goleak.VerifyNone(t)
	l := sched.New(4, time.Hour)
	heavy := inFlight{hold: 50 * time.Millisecond}
	var light inFlight
	hr, err := Server("heavy", Handler(heavy.handler()), Parallel(6), withLimiter(l))
	if err != nil {
		t.Fatal(err)
	}
	lr, err := Server("light", Handler(light.handler()), Parallel(6), withLimiter(l))
	if err != nil {
		t.Fatal(err)
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
	if r, err := Server("default", Handler(light.handler())); err != nil || r.Config().limiter != nil || r.gate == nil {
		t.Errorf("a runner without a test's limiter: %v", err)
	}
}

// A heavy case that only waits (a server that never echoes, so 9.1.x waits
// out its 10 s) holds no CPU slot: another heavy case plays beside two such
// on a limiter of two CPUs, and is judged long before they end.
func TestWaitingHeavyCaseHoldsNoSlot(t *testing.T) {
	defer goleak.VerifyNone(t)
	const quiet = 100 * time.Millisecond
	l := sched.New(2, quiet)
	var silent inFlight
	silentHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		silent.now.Add(1)
		defer silent.now.Add(-1)
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for { // reads, never answers
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	sr, err := Server("silent", Handler(silentHandler), withLimiter(l))
	if err != nil {
		t.Fatal(err)
	}
	er, err := Server("echo", Handler(http.HandlerFunc(echopeer.GorillaServer)), withLimiter(l))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, id := range []string{"9.1.1", "9.1.2"} {
		wg.Go(func() { sr.Play(ctx, id, Seed{}) })
	}
	for silent.now.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	started := time.Now()
	res, _, err := er.Play(context.Background(), "9.1.3", Seed{})
	took := time.Since(started)
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if res.Behavior != "OK" {
		t.Errorf("9.1.3 against gorilla's echo: %s, want OK (the case's definition)", res.Behavior)
	}
	// the silent cases would hold both slots for 10 s
	if limit := timebound.Scale(t, 3*time.Second); took > limit {
		t.Errorf("a heavy case beside two that wait took %v, more than %v", took, limit)
	}
	t.Logf("9.1.3 beside two waiting heavy cases: %v", took.Round(time.Millisecond))
}

func TestParallelOption(t *testing.T) {
	if _, err := NewConfig(Parallel(0)); err == nil || !strings.Contains(err.Error(), "Parallel(0): the bound must be at least 1") {
		t.Errorf("Parallel(0): %v", err)
	}
	c, err := NewConfig()
	if err != nil || c.Parallel() != DefaultParallel() || c.Parallel() < 8 {
		t.Errorf("default bound %d (%v)", c.Parallel(), err)
	}
}
