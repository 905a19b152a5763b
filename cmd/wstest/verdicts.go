package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

// errCasesFailed ends a finished run in which a case failed: exit status 1.
var errCasesFailed = errors.New("cases failed")

// judging judges every result of a run under the pass policy or a
// baseline, counts them for the summary line and, when the run writes its
// baseline, keeps what it needs.
type judging struct {
	cfg   *harness.Config
	mark  bool // set the baseline marks on results for the HTML index
	mu    sync.Mutex
	tally harness.Tally
	notes []string // the reasons of failed and baseline-marked cases
	obs   []harness.Observation
}

func newJudging(c *config) (*judging, error) {
	var opts []harness.Option
	if c.strict {
		opts = append(opts, harness.Strict())
	}
	if c.baseline != "" {
		opts = append(opts, harness.Baseline(c.baseline))
	}
	if c.writeBaseline != "" {
		opts = append(opts, harness.WriteBaseline(c.writeBaseline))
	}
	cfg, err := harness.NewConfig(opts...)
	if err != nil {
		return nil, fmt.Errorf("flags -baseline, -write-baseline: %w", err)
	}
	return &judging{cfg: cfg, mark: c.mode == "fuzzingclient"}, nil
}

// add judges one result, as it comes.
func (j *judging) add(res *report.Result) {
	v := j.cfg.Judge(res)
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.mark {
		res.Baseline, res.Policy = v.Mark.String(), j.cfg.Policy()
	}
	j.tally.Add(res, v)
	if v.Reason != "" && (v.Outcome == harness.Failed || v.Mark != harness.NoMark) {
		note := fmt.Sprintf("%s %s: %s", v.Outcome, res.Agent, v.Reason)
		if v.Outcome == harness.Failed {
			note = report.Failure(res, j.cfg.Policy(), note)
		}
		j.notes = append(j.notes, note)
	}
	if j.cfg.UpdatingBaseline() {
		j.obs = append(j.obs, j.cfg.Observe(res))
	}
}

// finish prints the notes and the summary line, writes the baseline when
// the run records one, and returns errCasesFailed when a case failed.
func (j *judging) finish(out io.Writer) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	sort.Strings(j.notes)
	for _, n := range j.notes {
		fmt.Fprintln(out, n)
	}
	fmt.Fprintln(out, j.tally)
	if j.cfg.UpdatingBaseline() {
		if err := harness.WriteBaselines(j.obs); err != nil {
			return err
		}
		fmt.Fprintf(out, "Baseline written to %s\n", j.cfg.BaselinePath())
	}
	if j.tally.Failed > 0 {
		return errCasesFailed
	}
	return nil
}
