package suite

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/plural"
	"github.com/wsfuzz/autobahn/report"
)

// Parallel bounds how many cases of a registration play at the same time
// inside one Ginkgo process, each on its own connection; Parallel(1) plays
// them one after the other. The default is harness.DefaultParallel; the
// CPU-heavy cases (9.x, 12.x, 13.x) work at most GOMAXPROCS/2 at a time
// beside light ones in the whole process, all registrations together, and
// one that only waits does not count (see harness.Parallel).
//
// Every case stays its own spec, with its own result, labels, report
// entries and failure message. When the first spec of a registration runs,
// it starts the cases of every spec of the registration that Ginkgo's
// filters (--focus, --skip, --label-filter, the suite's labels) select, and
// each spec then waits for its own case. Nothing that is not selected
// plays, and --dry-run plays nothing. Under ginkgo -p, or with --fail-fast,
// a process cannot know which specs it will run: every spec plays its own
// case when it runs, and the processes give the concurrency.
func Parallel(n int) Option { return harness.Parallel(n) }

var (
	runOnce sync.Once
	runMu   sync.Mutex
	// runDescription and runLabels are the suite's description and labels,
	// which Ginkgo's filters see beside a spec's own; known once the
	// suite's ReportBeforeSuite ran.
	runDescription string
	runLabels      []string
	runKnown       bool
	// batches are the registrations' batches, stopped at the end of the suite.
	batches []*batch
)

// watchRun learns the suite's description and labels before its specs run
// and, at its end, stops what the batches played ahead and never claimed.
func watchRun(b *batch) {
	runOnce.Do(func() {
		ginkgo.ReportBeforeSuite(func(r ginkgo.Report) {
			runMu.Lock()
			defer runMu.Unlock()
			runDescription, runLabels, runKnown = r.SuiteDescription, r.SuiteLabels, true
		})
		ginkgo.ReportAfterSuite("autobahn: cases played ahead", func(ginkgo.Report) {
			runMu.Lock()
			all := batches
			runMu.Unlock()
			for _, b := range all {
				b.stop()
			}
		})
	})
	runMu.Lock()
	batches = append(batches, b)
	runMu.Unlock()
}

// batchSpec is a spec of a registration as Ginkgo's filters see it.
type batchSpec struct {
	id, text string
	labels   []string
}

// batch plays the cases of a registration's selected specs ahead of them.
type batch struct {
	r       *harness.Runner
	specs   []batchSpec // in catalog order
	mu      sync.Mutex
	began   bool
	jobs    map[string]*job
	queue   []*job // not started yet, the next first
	running int
	wg      sync.WaitGroup
}

// job is a case played ahead of its spec.
type job struct {
	id       string
	ctx      context.Context
	cancel   context.CancelFunc
	claimed  bool // its spec ran
	done     chan struct{}
	res      *report.Result
	chopping string
	err      error
}

// newBatch is the batch of r's specs; extra are the labels among the
// registration's decorators.
func newBatch(r *harness.Runner, extra []string) *batch {
	b := &batch{r: r}
	for _, id := range r.IDs() {
		c, _ := cases.ByID(id)
		b.specs = append(b.specs, batchSpec{id: id, text: SpecText(c),
			labels: append(append([]string{}, Labels(r.Role(), r.Agent(), id)...), extra...)})
	}
	watchRun(b)
	return b
}

// result is the result of case id for its running spec: played ahead when
// the batch could, else now.
func (b *batch) result(ctx context.Context, id string) (*report.Result, string, error) {
	b.mu.Lock()
	if !b.began {
		b.began = true
		b.prefetch(id)
	}
	j := b.jobs[id]
	if j == nil || j.claimed { // not played ahead, or a repeated attempt
		b.mu.Unlock()
		return play(ctx, b.r, id)
	}
	j.claimed = true
	if i := slices.Index(b.queue, j); i > 0 {
		b.queue = slices.Insert(slices.Delete(b.queue, i, i+1), 0, j)
	}
	b.dispatch()
	b.mu.Unlock()
	stop := context.AfterFunc(ctx, j.cancel)
	defer stop()
	select {
	case <-j.done:
		return j.res, j.chopping, j.err
	case <-ctx.Done():
		return nil, j.chopping, context.Cause(ctx)
	}
}

// prefetch queues the cases of every spec of the batch that Ginkgo will
// run in this process, when that can be known: first is the spec running.
func (b *batch) prefetch(first string) {
	cfg, _ := ginkgo.GinkgoConfiguration()
	runMu.Lock()
	description, suiteLabels, known := runDescription, runLabels, runKnown
	runMu.Unlock()
	if !known || cfg.ParallelTotal > 1 || cfg.FailFast || cfg.DryRun || b.r.Config().Parallel() == 1 {
		return
	}
	selected, ok := newSelection(cfg, description, suiteLabels, ginkgo.CurrentSpecReport())
	if !ok {
		return
	}
	var queue []*job
	for _, s := range b.specs {
		if selected(s) {
			ctx, cancel := context.WithCancel(context.Background())
			queue = append(queue, &job{id: s.id, ctx: ctx, cancel: cancel, done: make(chan struct{})})
		}
	}
	// the running spec must be among them, or the selection is not Ginkgo's
	i := slices.IndexFunc(queue, func(j *job) bool { return j.id == first })
	if i < 0 {
		for _, j := range queue {
			j.cancel()
		}
		return
	}
	b.jobs = map[string]*job{}
	for _, j := range queue {
		b.jobs[j.id] = j
	}
	b.queue = queue
}

// newSelection is Ginkgo's focus, skip and label filter applied to the
// specs of the registration whose spec cur is running; the filters that
// see only what all its specs share (programmatic focus, pending, file and
// semantic version filters) passed for cur, so they pass for all. ok is
// false when the filters cannot be applied here.
func newSelection(cfg types.SuiteConfig, description string, suiteLabels []string, cur types.SpecReport) (func(batchSpec) bool, bool) {
	var focus, skip *regexp.Regexp
	var err error
	if len(cfg.FocusStrings) > 0 {
		if focus, err = regexp.Compile(strings.Join(cfg.FocusStrings, "|")); err != nil {
			return nil, false
		}
	}
	if len(cfg.SkipStrings) > 0 {
		if skip, err = regexp.Compile(strings.Join(cfg.SkipStrings, "|")); err != nil {
			return nil, false
		}
	}
	labelFilter := func([]string) bool { return true }
	if cfg.LabelFilter != "" {
		if labelFilter, err = types.ParseLabelFilter(cfg.LabelFilter); err != nil {
			return nil, false
		}
	}
	var texts []string
	for _, t := range cur.ContainerHierarchyTexts {
		if t != "" {
			texts = append(texts, t)
		}
	}
	common := append([]string{}, suiteLabels...)
	for _, l := range cur.ContainerHierarchyLabels {
		common = append(common, l...)
	}
	return func(s batchSpec) bool {
		full := description + " " + strings.Join(append(slices.Clip(texts), s.text), " ")
		switch {
		case focus != nil && !focus.MatchString(full):
			return false
		case skip != nil && skip.MatchString(full):
			return false
		}
		return labelFilter(append(slices.Clip(common), s.labels...))
	}, true
}

// dispatch starts queued cases, the head of the queue first, while fewer
// than the Parallel bound play: the queue's order is the batch's only job,
// as the runner's Play applies the bounds (Parallel and the process's bound
// on work). b.mu is held.
func (b *batch) dispatch() {
	for len(b.queue) > 0 && b.running < b.r.Config().Parallel() {
		j := b.queue[0]
		b.queue = b.queue[1:]
		b.running++
		b.wg.Add(1)
		go b.run(j)
	}
}

// run plays a job's case and starts the next.
func (b *batch) run(j *job) {
	defer b.wg.Done()
	if err := j.ctx.Err(); err != nil {
		j.err = err
	} else {
		j.res, j.chopping, j.err = play(j.ctx, b.r, j.id)
	}
	j.cancel()
	close(j.done)
	b.mu.Lock()
	b.running--
	b.dispatch()
	b.mu.Unlock()
}

// stop cancels the cases played ahead and waits for them, at the end of the
// suite: only an interrupted suite leaves any unclaimed.
func (b *batch) stop() {
	b.mu.Lock()
	var unclaimed []string
	for _, j := range b.jobs {
		if !j.claimed {
			unclaimed = append(unclaimed, j.id)
		}
		j.cancel()
	}
	b.queue, b.jobs, b.began = nil, nil, false
	b.mu.Unlock()
	b.wg.Wait()
	if len(unclaimed) > 0 {
		ginkgo.GinkgoWriter.Printf("suite: %s of %s %q queued for specs that did not run\n", plural.Count(len(unclaimed), "case"), b.r.Role(), b.r.Agent())
	}
}
