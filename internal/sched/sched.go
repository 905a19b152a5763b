// Package sched bounds the work of the cases a process plays. A case is
// light or heavy (cases.Case.Heavy: large messages, many messages or
// compression keep the fuzzer's CPU and the peer's busy). What the bound
// counts is work, not cases: a heavy case counts only while traffic moves on
// its connection, and one that has been quiet for Limiter.Quiet (waiting on
// a timer, or on a peer that does not answer) stops counting until traffic
// moves again, so it holds back no case that could work.
//
// The rule, for C CPUs (GOMAXPROCS unless set): heavy cases work at most C
// at a time when no light case plays or waits, and at most C/2 (at least
// one) beside light ones; a light case waits while more than C/2 work.
// Timer-decided cases (6.x gives the peer 0.5 s to close) thus keep the
// CPU they need beside heavy ones, which each keep two CPUs busy.
//
// A Gate adds a run's bound on the number of cases at once (harness.Parallel,
// fakeclient.Config.Parallel) on top of a Limiter. Default is the process's
// Limiter, shared by every run; tests make their own.
package sched

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultQuiet is how long a heavy case's connection must be quiet before
// the case stops counting as work: longer than a peer takes to digest the
// largest message of the catalog before it answers, so that computing is
// not taken for waiting. Under the race detector code runs several times
// slower, and so does the peer's digesting.
var DefaultQuiet = func() time.Duration {
	if raceEnabled {
		return 3 * time.Second
	}
	return time.Second
}()

// Default is the process's Limiter: every run of the process (harness
// runners, suite registrations, fakeclient runs) enters it.
var Default = New(0, DefaultQuiet)

// Limiter bounds the heavy work of the cases that enter it.
type Limiter struct {
	cpus  int // 0: GOMAXPROCS at every decision
	quiet time.Duration

	mu       sync.Mutex
	working  int // heavy tickets that count: not quiet
	light    int // light tickets in play
	waiting  []*waiter
	heavy    map[*Ticket]struct{} // heavy tickets in play, watched for quiet
	stopWait chan struct{}        // closes the watcher; nil while none runs
}

// New is a Limiter for cpus CPUs (0: GOMAXPROCS, read at every decision)
// whose heavy cases stop counting after quiet without traffic.
func New(cpus int, quiet time.Duration) *Limiter {
	return &Limiter{cpus: cpus, quiet: quiet, heavy: map[*Ticket]struct{}{}}
}

// Slots is how many heavy cases work at once beside light ones: half the
// CPUs, at least one.
func (l *Limiter) Slots() int { return max(l.cpuCount()/2, 1) }

func (l *Limiter) cpuCount() int {
	if l.cpus > 0 {
		return l.cpus
	}
	return max(runtime.GOMAXPROCS(0), 1)
}

// Ticket is a case in play. Touch it on traffic; Leave when the case ends.
type Ticket struct {
	l     *Limiter
	heavy bool
	last  atomic.Int64 // clock() of the last traffic
	quiet atomic.Bool  // a heavy ticket that does not count; changed with l.mu held
	once  sync.Once
}

// waiter is a case waiting to enter.
type waiter struct {
	t       *Ticket
	granted chan struct{}
}

// Enter waits until a case of the kind may play and returns its ticket, or
// an error when ctx ends first. Waiters of a kind enter in the order they
// came.
func (l *Limiter) Enter(ctx context.Context, heavy bool) (*Ticket, error) {
	t := &Ticket{l: l, heavy: heavy}
	t.last.Store(clock())
	w := &waiter{t: t, granted: make(chan struct{})}
	l.mu.Lock()
	if !slices.ContainsFunc(l.waiting, func(o *waiter) bool { return o.t.heavy == heavy }) && l.fits(heavy) {
		l.take(t)
		l.mu.Unlock()
		return t, nil
	}
	l.waiting = append(l.waiting, w)
	l.mu.Unlock()
	select {
	case <-w.granted:
		return t, nil
	case <-ctx.Done():
	}
	l.mu.Lock()
	if i := slices.Index(l.waiting, w); i >= 0 {
		l.waiting = slices.Delete(l.waiting, i, i+1)
		l.grant() // a light case no longer waiting may let heavy ones in
		l.mu.Unlock()
	} else { // granted as ctx ended: give it back
		l.mu.Unlock()
		t.Leave()
	}
	if heavy {
		return nil, fmt.Errorf("waiting for one of the process's %d slots for heavy cases: %w", l.Slots(), context.Cause(ctx))
	}
	return nil, fmt.Errorf("waiting for the process's heavy cases to leave room: %w", context.Cause(ctx))
}

// fits reports whether a case of the kind may start now. l.mu is held.
func (l *Limiter) fits(heavy bool) bool {
	if !heavy {
		return l.working <= l.Slots()
	}
	lightWaits := slices.ContainsFunc(l.waiting, func(o *waiter) bool { return !o.t.heavy })
	if l.light == 0 && !lightWaits {
		return l.working < l.cpuCount()
	}
	return l.working < l.Slots()
}

// take counts t as in play. l.mu is held.
func (l *Limiter) take(t *Ticket) {
	if !t.heavy {
		l.light++
		return
	}
	l.working++
	l.heavy[t] = struct{}{}
	if l.stopWait == nil {
		l.stopWait = make(chan struct{})
		go l.watch(l.stopWait)
	}
}

// grant lets in the waiters that fit, in order, each kind behind the first
// of its kind that does not. l.mu is held.
func (l *Limiter) grant() {
	blocked := map[bool]bool{}
	for i := 0; i < len(l.waiting); {
		w := l.waiting[i]
		if blocked[w.t.heavy] || !l.fits(w.t.heavy) {
			blocked[w.t.heavy] = true
			i++
			continue
		}
		l.waiting = slices.Delete(l.waiting, i, i+1)
		l.take(w.t)
		close(w.granted)
	}
}

// Leave ends the ticket's case (once, however often it is called).
func (t *Ticket) Leave() {
	t.once.Do(func() {
		l := t.l
		l.mu.Lock()
		defer l.mu.Unlock()
		if !t.heavy {
			l.light--
			l.grant()
			return
		}
		if !t.quiet.Load() {
			l.working--
		}
		delete(l.heavy, t)
		if len(l.heavy) == 0 && l.stopWait != nil {
			close(l.stopWait)
			l.stopWait = nil
		}
		l.grant()
	})
}

// Touch tells that traffic moved on the ticket's connection: a quiet heavy
// case counts as work again (without waiting: its traffic is already
// there). It is cheap, safe from any goroutine, and a nil Ticket ignores it.
func (t *Ticket) Touch() {
	if t == nil {
		return
	}
	t.last.Store(clock())
	if !t.quiet.Load() {
		return
	}
	l := t.l
	l.mu.Lock()
	if _, playing := l.heavy[t]; playing && t.quiet.Load() {
		t.quiet.Store(false)
		l.working++
	}
	l.mu.Unlock()
}

// watch marks heavy tickets quiet when no traffic moved for l.quiet, until
// stop closes.
func (l *Limiter) watch(stop <-chan struct{}) {
	tick := time.NewTicker(max(l.quiet/8, time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		now := clock()
		l.mu.Lock()
		changed := false
		for t := range l.heavy {
			if !t.quiet.Load() && time.Duration(now-t.last.Load()) >= l.quiet {
				t.quiet.Store(true)
				l.working--
				changed = true
			}
		}
		if changed {
			l.grant()
		}
		l.mu.Unlock()
	}
}

// epoch and clock are a monotonic clock in nanoseconds.
var epoch = time.Now()

func clock() int64 { return int64(time.Since(epoch)) }
