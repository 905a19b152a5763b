package container

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/cases"
)

// ErrNoProgress is the cause of a run that the progress watchdog ended: the
// fuzzer in the container started no case and wrote no output for longer
// than Config.ProgressTimeout (by default the longest selected case's own
// time bound plus progressMargin).
var ErrNoProgress = errors.New("the fuzzer in the container made no progress")

// progressMargin is added to the longest selected case's time bound for the
// default ProgressTimeout: time for the fuzzer's own work between cases and
// for writing the reports after the last one.
const progressMargin = time.Minute

// progressTimeout is how long the run may go without progress before the
// watchdog ends it, or a negative duration when the watchdog is off.
func (c *Config) progressTimeout(ids []string) time.Duration {
	if c.ProgressTimeout != 0 {
		return c.ProgressTimeout
	}
	var longest time.Duration
	for _, id := range ids {
		if cs, ok := cases.ByID(id); ok {
			longest = max(longest, cs.MaxDuration())
		}
	}
	return longest + progressMargin
}

// progress is when the run last moved: the container wrote output or the
// driver started a case. While the client under test runs, time does not
// count: the client's own limit bounds it.
type progress struct {
	mu     sync.Mutex
	last   time.Time
	paused int
}

func newProgress() *progress { return &progress{last: time.Now()} }

// touch notes progress now.
func (p *progress) touch() {
	p.mu.Lock()
	p.last = time.Now()
	p.mu.Unlock()
}

// pause stops the clock until the returned function is called, which also
// notes progress.
func (p *progress) pause() (resume func()) {
	p.mu.Lock()
	p.paused++
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		p.paused--
		p.last = time.Now()
		p.mu.Unlock()
	}
}

// idle is how long the run has not moved.
func (p *progress) idle() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paused > 0 {
		return 0
	}
	return time.Since(p.last)
}

// watch returns a context that ends with ErrNoProgress when p stays idle
// for longer than bound; the container's output growing counts as progress.
// stop ends the watch. A negative bound watches nothing.
func (s *session) watch(ctx context.Context, bound time.Duration, p *progress) (_ context.Context, stop func()) {
	if bound < 0 {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(min(time.Second, bound/4+time.Millisecond))
		defer tick.Stop()
		seen := int64(-1)
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if n, err := s.outputSize(ctx); err == nil && n != seen {
				seen = n
				p.touch()
			}
			if idle := p.idle(); idle > bound {
				cancel(fmt.Errorf("%w for %v: it started no case and wrote no output (the limit is %v); "+
					"it may have crashed or hung", ErrNoProgress, idle.Round(time.Second), bound))
				return
			}
		}
	}()
	return ctx, func() {
		close(done)
		wg.Wait()
		cancel(nil)
	}
}

// outputSize is the length of what the container wrote so far.
func (s *session) outputSize(ctx context.Context) (int64, error) {
	rc, err := s.ctr.Logs(ctx)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}
