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

// TestBound enters from many goroutines at once: never more than Slots
// (half of GOMAXPROCS) inside, and as many as Slots at some point.
func TestBound(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(7))
	var inside, most atomic.Int64
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			leave, err := Enter(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(5 * time.Millisecond)
			inside.Add(-1)
			leave()
			leave() // a second call gives nothing back
		})
	}
	wg.Wait()
	if got := most.Load(); got != 3 {
		t.Errorf("at most %d inside, want 3", got)
	}
	if playing != 0 || len(waiting) != 0 {
		t.Errorf("after the run: %d playing, %d waiting", playing, len(waiting))
	}
}

// TestOrderAndCancel: waiters get slots in the order they came, and a
// waiter whose ctx ends leaves the queue with an error naming the wait.
func TestOrderAndCancel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	first, err := Enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, err := Enter(ctx)
		gaveUp <- err
	}()
	waitFor(t, 1)
	var order []int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			leave, err := Enter(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			leave()
		})
		waitFor(t, i+2)
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
	if playing != 0 || len(waiting) != 0 {
		t.Errorf("after the run: %d playing, %d waiting", playing, len(waiting))
	}
}

// waitFor waits until n enter calls wait.
func waitFor(t *testing.T, n int) {
	t.Helper()
	got := -1
	for deadline := time.Now().Add(5 * time.Second); got != n && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		mu.Lock()
		got = len(waiting)
		mu.Unlock()
	}
	if got != n {
		t.Fatalf("%d waiting, want %d", got, n)
	}
}
