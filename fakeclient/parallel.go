package fakeclient

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/report"
)

// heavyCase reports whether case id is CPU-heavy for the fuzzer: 9.x,
// 12.x and 13.x.
func heavyCase(id string) bool {
	switch strings.SplitN(id, ".", 2)[0] {
	case "9", "12", "13":
		return true
	}
	return false
}

// outcome is what became of one case of a parallel run.
type outcome struct {
	started bool
	res     *report.Result
	skipped bool
	ended   time.Time
	err     error
}

// runParallel is Run with up to cfg.Parallel cases at once, heavy ones at
// most GOMAXPROCS at once. The cases start in order; a case whose TCP
// connection cannot be made stops the starting of further cases, and the
// cases already running finish. ctx carries the run's deadline, if any.
func runParallel(ctx context.Context, cfg Config, deadline time.Time) ([]*report.Result, error) {
	all := make(chan struct{}, cfg.Parallel)
	heavy := make(chan struct{}, max(min(cfg.Parallel, runtime.GOMAXPROCS(0)), 1))
	launch, stopLaunching := context.WithCancel(ctx)
	defer stopLaunching()
	outs := make([]outcome, len(cfg.Cases))
	var mu sync.Mutex // serialises Progress
	var wg sync.WaitGroup
	acquire := func(sem chan struct{}) bool {
		select {
		case sem <- struct{}{}:
			return true
		case <-launch.Done():
			return false
		}
	}
	for i, id := range cfg.Cases {
		h := heavyCase(id)
		if h && !acquire(heavy) {
			break
		}
		if !acquire(all) {
			if h {
				<-heavy
			}
			break
		}
		outs[i].started = true
		wg.Go(func() {
			defer func() {
				<-all
				if h {
					<-heavy
				}
			}()
			o := &outs[i]
			o.res, o.skipped, o.ended, o.err = runCase(ctx, cfg.URL, cfg.Agent, id, cfg.Options, cfg.ExcludeAgentCases)
			limited := context.Cause(ctx) == errRunLimit && !o.ended.Before(deadline)
			if o.err != nil && !limited {
				stopLaunching()
			}
			if o.err == nil && !o.skipped && !limited && cfg.Progress != nil {
				mu.Lock()
				cfg.Progress(i+1, len(cfg.Cases), o.res)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return collect(ctx, cfg, deadline, outs)
}

// collect turns the outcomes of a parallel run into Run's results and error.
func collect(ctx context.Context, cfg Config, deadline time.Time, outs []outcome) ([]*report.Result, error) {
	limited := context.Cause(ctx) == errRunLimit
	var out []*report.Result
	var cut, notReached []string
	var firstErr error
	for i, o := range outs {
		id := cfg.Cases[i]
		switch {
		case !o.started:
			notReached = append(notReached, id)
		case limited && !o.ended.Before(deadline):
			cut = append(cut, id)
		case o.err != nil:
			if firstErr == nil {
				firstErr = o.err
			}
		case !o.skipped:
			out = append(out, o.res)
		}
	}
	switch {
	case firstErr != nil:
		return out, firstErr
	case limited && (len(cut) > 0 || len(notReached) > 0):
		le := &LimitError{Limit: cfg.MaxDuration, NotReached: notReached}
		if len(cut) > 0 {
			le.CutShort = cut[0]
		}
		if len(cut) > 1 {
			le.AlsoCutShort = slices.Clip(cut[1:])
		}
		return out, le
	case len(notReached) > 0:
		return out, fmt.Errorf("fakeclient: stopped before case %s: %w", notReached[0], ctx.Err())
	}
	return out, nil
}
