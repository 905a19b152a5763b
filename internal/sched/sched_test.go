package sched

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// counter counts the cases inside and the most at once.
type counter struct{ now, most atomic.Int64 }

func (c *counter) in() {
	n := c.now.Add(1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
}

// play enters n cases of the kind into l, each busy (touching its ticket)
// for d inside.
func play(t *testing.T, l *Limiter, wg *sync.WaitGroup, c *counter, heavy bool, n int, d time.Duration) {
	for range n {
		wg.Go(func() {
			tk, err := l.Enter(context.Background(), heavy)
			if err != nil {
				t.Error(err)
				return
			}
			c.in()
			for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(time.Millisecond) {
				tk.Touch()
			}
			c.now.Add(-1)
			tk.Leave()
			tk.Leave() // a second call gives nothing back
		})
	}
}

// idle fails the test unless nothing plays or waits in l.
func idle(t *testing.T, l *Limiter) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.working != 0 || l.light != 0 || len(l.waiting) != 0 || len(l.heavy) != 0 || l.stopWait != nil {
		t.Errorf("after the run: %d heavy working, %d light, %d waiting, %d heavy watched, watcher %v",
			l.working, l.light, len(l.waiting), len(l.heavy), l.stopWait != nil)
	}
}

// Heavy cases alone work C at once; light ones alone are not bound.
func TestAlone(t *testing.T) {
	l := New(4, time.Hour)
	var heavy, light counter
	var wg sync.WaitGroup
	play(t, l, &wg, &heavy, true, 20, 5*time.Millisecond)
	wg.Wait()
	play(t, l, &wg, &light, false, 20, 5*time.Millisecond)
	wg.Wait()
	if h, lt := heavy.most.Load(), light.most.Load(); h != 4 || lt != 20 {
		t.Errorf("alone: at most %d heavy (want 4) and %d light (want 20) at once", h, lt)
	}
	idle(t, l)
}

// Beside light cases, heavy ones work at most C/2, and light ones wait
// while more work.
func TestBeside(t *testing.T) {
	l := New(4, time.Hour)
	var heavy, light counter
	var wg sync.WaitGroup
	play(t, l, &wg, &light, false, 1, 300*time.Millisecond)
	waitUntil(t, l, func() bool { return l.light == 1 })
	play(t, l, &wg, &heavy, true, 20, 5*time.Millisecond)
	wg.Wait()
	if h := heavy.most.Load(); h != 2 {
		t.Errorf("beside a light case: at most %d heavy at once, want 2", h)
	}

	// four heavy alone, then a light case comes: it waits until two left,
	// and no heavy case enters beside it beyond two
	var tickets []*Ticket
	for range 4 {
		tk, err := l.Enter(context.Background(), true)
		if err != nil {
			t.Fatal(err)
		}
		tickets = append(tickets, tk)
	}
	entered := make(chan *Ticket)
	go func() {
		tk, err := l.Enter(context.Background(), false)
		if err != nil {
			t.Error(err)
		}
		entered <- tk
	}()
	waitUntil(t, l, func() bool { return len(l.waiting) == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.Enter(ctx, true); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a fifth heavy case while a light one waits: %v", err)
	}
	tickets[0].Leave()
	select {
	case <-entered:
		t.Fatal("a light case entered beside three heavy ones")
	case <-time.After(20 * time.Millisecond):
	}
	tickets[1].Leave()
	lightTicket := <-entered
	for _, tk := range tickets[2:] {
		tk.Leave()
	}
	lightTicket.Leave()
	idle(t, l)
}

// Waiters of a kind get in in the order they came, and one whose ctx ends
// leaves the queue with an error naming the wait.
func TestOrderAndCancel(t *testing.T) {
	l := New(1, time.Hour)
	first, err := l.Enter(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, err := l.Enter(ctx, true)
		gaveUp <- err
	}()
	waitUntil(t, l, func() bool { return len(l.waiting) == 1 })
	var order []int
	var omu sync.Mutex
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			tk, err := l.Enter(context.Background(), true)
			if err != nil {
				t.Error(err)
				return
			}
			omu.Lock()
			order = append(order, i)
			omu.Unlock()
			tk.Leave()
		})
		waitUntil(t, l, func() bool { return len(l.waiting) == i+2 })
	}
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) || err.Error() != "waiting for one of the process's 1 slots for heavy cases: context canceled" {
		t.Errorf("cancelled wait: %v", err)
	}
	first.Leave()
	wg.Wait()
	if len(order) != 3 || order[0] != 0 || order[1] != 1 || order[2] != 2 {
		t.Errorf("slots given in the order %v, want [0 1 2]", order)
	}
	idle(t, l)
}

// A heavy case whose connection is quiet stops counting: the cases behind
// it work. When its traffic moves again it counts again, at once.
func TestQuietCaseHoldsNoSlot(t *testing.T) {
	const quiet = 40 * time.Millisecond
	l := New(2, quiet)
	waiter, err := l.Enter(context.Background(), true) // will only wait
	if err != nil {
		t.Fatal(err)
	}
	worker, err := l.Enter(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	stopWork := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // the worker's traffic keeps moving
		for {
			select {
			case <-stopWork:
				return
			case <-time.After(time.Millisecond):
				worker.Touch()
			}
		}
	})
	started := time.Now()
	third, err := l.Enter(context.Background(), true) // waits until waiter is quiet
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(started); took < quiet/2 {
		t.Errorf("a third heavy case entered after %v, beside two that work (quiet is %v)", took, quiet)
	}
	l.mu.Lock()
	working, waiterQuiet, workerQuiet := l.working, waiter.quiet.Load(), worker.quiet.Load()
	l.mu.Unlock()
	if working != 2 || !waiterQuiet || workerQuiet {
		t.Errorf("after the wait: %d working, waiter quiet %v, worker quiet %v; want 2, true, false",
			working, waiterQuiet, workerQuiet)
	}

	// the waiter's peer answers: it counts again, and a fourth case waits
	waiter.Touch()
	l.mu.Lock()
	working = l.working
	l.mu.Unlock()
	if working != 3 {
		t.Errorf("a quiet case whose traffic moved: %d working, want 3", working)
	}
	ctx, cancel := context.WithTimeout(context.Background(), quiet/4)
	defer cancel()
	if _, err := l.Enter(ctx, true); err == nil {
		t.Error("a fourth heavy case entered beside three that work")
	}
	close(stopWork)
	wg.Wait()
	for _, tk := range []*Ticket{waiter, worker, third} {
		tk.Leave()
	}
	idle(t, l)
}

// A run's gate bounds the cases at once on top of the limiter, and its
// function gives the slot back once.
func TestGate(t *testing.T) {
	l := New(4, time.Hour)
	g := NewGate(l, 3)
	var c counter
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			_, leave, err := g.Enter(context.Background(), false)
			if err != nil {
				t.Error(err)
				return
			}
			c.in()
			time.Sleep(2 * time.Millisecond)
			c.now.Add(-1)
			leave()
			leave()
		})
	}
	wg.Wait()
	if got := c.most.Load(); got != 3 {
		t.Errorf("at most %d cases at once through a gate of 3", got)
	}
	idle(t, l)
}

// waitUntil waits until cond, read with l.mu held, holds.
func waitUntil(t *testing.T, l *Limiter, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		l.mu.Lock()
		ok := cond()
		l.mu.Unlock()
		if ok {
			return
		}
	}
	t.Fatal("timed out waiting")
}
