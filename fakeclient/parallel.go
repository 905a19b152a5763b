package fakeclient

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/wsfuzz/autobahn/internal/sched"
	"github.com/wsfuzz/autobahn/report"
)

// outcome is what became of one case of a parallel run.
type outcome struct {
	started bool
	res     *report.Result
	skipped bool
	cut     bool // the run's end stopped it: not judged
	err     error
}

// runParallel is Run with up to cfg.Parallel cases at once, heavy ones
// within the process's bound on work (package sched), which counts those
// the process plays elsewhere too. The cases start in order; a case whose TCP
// connection cannot be made stops the starting of further cases, and the
// cases already running finish. When ctx ends, the cases running are cut
// short, as in Run.
func runParallel(ctx context.Context, cfg Config) ([]*report.Result, error) {
	gate := sched.NewGate(cfg.limits(), cfg.Parallel)
	launch, stopLaunching := context.WithCancel(ctx)
	defer stopLaunching()
	outs := make([]outcome, len(cfg.Cases))
	var mu sync.Mutex // serialises Progress
	var wg sync.WaitGroup
	for i, id := range cfg.Cases {
		ticket, leave, err := gate.Enter(launch, heavy(id))
		if err != nil {
			break
		}
		outs[i].started = true
		wg.Go(func() {
			defer leave()
			o := &outs[i]
			o.res, o.skipped, o.cut, o.err = runCase(ctx, cfg.URL, cfg.Agent, id, withActivity(*cfg.engine, ticket), cfg.ExcludeAgentCases)
			if o.err != nil && !o.cut {
				stopLaunching()
			}
			if o.err == nil && !o.skipped && !o.cut && cfg.Progress != nil {
				mu.Lock()
				cfg.Progress(i+1, len(cfg.Cases), o.res)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return collect(ctx, cfg, outs)
}

// collect turns the outcomes of a parallel run into Run's results and error.
func collect(ctx context.Context, cfg Config, outs []outcome) ([]*report.Result, error) {
	var out []*report.Result
	var cut, notReached []string
	var firstErr error
	for i, o := range outs {
		id := cfg.Cases[i]
		switch {
		case !o.started, o.cut && o.err != nil: // never connected
			notReached = append(notReached, id)
		case o.cut:
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
	case ctx.Err() != nil && (len(cut) > 0 || len(notReached) > 0):
		first, also := "", []string(nil)
		if len(cut) > 0 {
			first = cut[0]
		}
		if len(cut) > 1 {
			also = slices.Clip(cut[1:])
		}
		if cause := context.Cause(ctx); cause != errRunLimit {
			return out, &CancelError{Cause: cause, CutShort: first, AlsoCutShort: also, NotReached: notReached}
		}
		return out, &LimitError{Limit: cfg.MaxDuration, CutShort: first, AlsoCutShort: also, NotReached: notReached}
	case len(notReached) > 0:
		return out, fmt.Errorf("fakeclient: stopped before case %s", notReached[0])
	}
	return out, nil
}
