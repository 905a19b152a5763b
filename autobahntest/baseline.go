package autobahntest

import (
	"sync"
	"testing"

	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/plural"
	"github.com/wsfuzz/autobahn/report"
)

// UpdateEnv is the environment variable that, set to 1, rewrites the
// Baseline file from the run instead of failing on it.
const UpdateEnv = harness.UpdateEnv

// Baseline judges the cases against the expected results in the file at
// path, as suite.Baseline does: recorded verdicts pass (known failures as
// "failed as expected"), other failures fail as regressions, recorded
// failures that now pass fail as a stale baseline, flaky entries pass
// either way, and unlisted cases pass under the policy. The file may be an
// Autobahn index.json. With AUTOBAHN_UPDATE_BASELINE=1 the failures pass and
// the file is rewritten when the test ends.
func Baseline(path string) Option { return harness.Baseline(path) }

// baselineRun counts a run's cases for its summary line and, when the run
// updates its baseline, keeps what the update records. A nil baselineRun
// (no Baseline) does nothing.
type baselineRun struct {
	cfg   *harness.Config
	mu    sync.Mutex
	tally harness.Tally
	obs   []harness.Observation
}

// newBaselineRun returns the baselineRun of a run with a Baseline, which
// logs the summary and writes the file when t ends, or nil.
func newBaselineRun(t *testing.T, cfg *harness.Config) *baselineRun {
	if cfg.BaselinePath() == "" {
		return nil
	}
	b := &baselineRun{cfg: cfg}
	t.Cleanup(func() { b.finish(t) })
	return b
}

func (b *baselineRun) add(res *report.Result, j harness.Judgement) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tally.Add(res, j)
	if b.cfg.UpdatingBaseline() {
		b.obs = append(b.obs, b.cfg.Observe(res))
	}
}

func (b *baselineRun) finish(t *testing.T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	path := b.cfg.BaselinePath()
	t.Logf("autobahn baseline %s: %s", path, b.tally)
	if len(b.obs) == 0 {
		return
	}
	if err := harness.WriteBaselines(b.obs); err != nil {
		t.Errorf("autobahntest: %v", err)
		return
	}
	t.Logf("autobahn baseline %s written from %s", path, plural.Count(len(b.obs), "case"))
}
