package heavy

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCase(t *testing.T) {
	for id, want := range map[string]bool{"9.1.1": true, "9.7.6": true, "12.2.10": true, "13.7.18": true,
		"1.1.9": false, "10.1.1": false, "6.22.30": false, "1.9": false} {
		if Case(id) != want {
			t.Errorf("Case(%q) = %v", id, !want)
		}
	}
}

// counter counts the cases inside and the most at once.
type counter struct{ now, most atomic.Int64 }

func (c *counter) in() {
	n := c.now.Add(1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
}

// play enters case id from n goroutines, each staying d inside.
func play(t *testing.T, wg *sync.WaitGroup, c *counter, id string, n int, d time.Duration) {
	for range n {
		wg.Go(func() {
			leave, err := Enter(context.Background(), id)
			if err != nil {
				t.Error(err)
				return
			}
			c.in()
			time.Sleep(d)
			c.now.Add(-1)
			leave()
			leave() // a second call gives nothing back
		})
	}
}

// idle fails the test unless nothing plays or waits.
func idle(t *testing.T) {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if heavyPlaying != 0 || lightPlaying != 0 || len(waiting) != 0 {
		t.Errorf("after the run: %d heavy and %d light playing, %d waiting", heavyPlaying, lightPlaying, len(waiting))
	}
}

// Heavy cases alone take GOMAXPROCS slots; light ones alone are not bound.
func TestAlone(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	var heavy, light counter
	var wg sync.WaitGroup
	play(t, &wg, &heavy, "9.1.1", 20, 5*time.Millisecond)
	wg.Wait()
	play(t, &wg, &light, "1.1.1", 20, 5*time.Millisecond)
	wg.Wait()
	if h, l := heavy.most.Load(), light.most.Load(); h != 4 || l != 20 {
		t.Errorf("alone: at most %d heavy (want 4) and %d light (want 20) at once", h, l)
	}
	idle(t)
}

// Beside light cases, heavy ones take at most Slots (half of GOMAXPROCS),
// and light ones wait while more play.
func TestBeside(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	var heavy, light counter
	var wg sync.WaitGroup
	play(t, &wg, &light, "6.22.30", 1, 300*time.Millisecond)
	waitUntil(t, func() bool { return lightPlaying == 1 })
	play(t, &wg, &heavy, "12.1.1", 20, 5*time.Millisecond)
	wg.Wait()
	if h := heavy.most.Load(); h != 2 {
		t.Errorf("beside a light case: at most %d heavy at once, want 2", h)
	}

	// four heavy alone, then a light case comes: it waits until two left,
	// and no heavy case enters beside it beyond two
	var leaves []func()
	for range 4 {
		leave, err := Enter(context.Background(), "9.1.1")
		if err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, leave)
	}
	entered := make(chan func())
	go func() {
		leave, err := Enter(context.Background(), "7.1.1")
		if err != nil {
			t.Error(err)
		}
		entered <- leave
	}()
	waitUntil(t, func() bool { return len(waiting) == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := Enter(ctx, "9.1.2"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a fifth heavy case while a light one waits: %v", err)
	}
	leaves[0]()
	select {
	case <-entered:
		t.Fatal("a light case entered beside three heavy ones")
	case <-time.After(20 * time.Millisecond):
	}
	leaves[1]()
	lightLeave := <-entered
	for _, l := range leaves[2:] {
		l()
	}
	lightLeave()
	idle(t)
}

// Waiters of a kind get in in the order they came, and one whose ctx ends
// leaves the queue with an error naming the wait.
func TestOrderAndCancel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	first, err := Enter(context.Background(), "9.1.1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, err := Enter(ctx, "9.1.2")
		gaveUp <- err
	}()
	waitUntil(t, func() bool { return len(waiting) == 1 })
	var order []int
	var omu sync.Mutex
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			leave, err := Enter(context.Background(), "13.1.1")
			if err != nil {
				t.Error(err)
				return
			}
			omu.Lock()
			order = append(order, i)
			omu.Unlock()
			leave()
		})
		waitUntil(t, func() bool { return len(waiting) == i+2 })
	}
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) || err.Error() != "waiting for one of the process's 1 slots for heavy cases: context canceled" {
		t.Errorf("cancelled wait: %v", err)
	}
	first()
	wg.Wait()
	if len(order) != 3 || order[0] != 0 || order[1] != 1 || order[2] != 2 {
		t.Errorf("slots given in the order %v, want [0 1 2]", order)
	}
	idle(t)
}

// waitUntil waits until cond, read with mu held, holds.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		mu.Lock()
		ok := cond()
		mu.Unlock()
		if ok {
			return
		}
	}
	t.Fatal("timed out waiting")
}
