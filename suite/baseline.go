package suite

import (
	"fmt"
	"os"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/plural"
	"github.com/wsfuzz/autobahn/report"
)

// UpdateEnv is the environment variable that, set to 1, rewrites the
// Baseline files from the run instead of failing on them.
const UpdateEnv = harness.UpdateEnv

// Baseline judges the cases against the expected results in the file at
// path: a case that gives its recorded verdicts passes (a known failure
// "failed as expected"), one that fails otherwise fails as a regression, a
// recorded failure that now passes fails as a stale baseline, a case marked
// flaky passes either way, and a case the file does not list passes under
// the policy. The file may be an Autobahn index.json. Run the suite with
// AUTOBAHN_UPDATE_BASELINE=1 to write or update it: failures then pass and
// the file is rewritten at the end of the suite, also under ginkgo -p.
func Baseline(path string) Option { return harness.Baseline(path) }

var (
	baselinesMu sync.Mutex
	// baselines are the baseline files that have their ReportAfterSuite.
	baselines = map[string]bool{}
)

// claimBaseline registers, once per file, the ReportAfterSuite that logs
// the run's summary line and, when updating, rewrites the file from the
// Verdict entries of every parallel process.
func claimBaseline(path string) {
	baselinesMu.Lock()
	defer baselinesMu.Unlock()
	if baselines[path] {
		return
	}
	baselines[path] = true
	ginkgo.ReportAfterSuite("autobahn baseline "+path, func(r ginkgo.Report) {
		if err := finishBaseline(path, r); err != nil {
			ginkgo.Fail(err.Error())
		}
	})
}

// finishBaseline counts the specs judged against path and writes it when
// the run updates it.
func finishBaseline(path string, r ginkgo.Report) error {
	var tally harness.Tally
	var obs []harness.Observation
	for _, sr := range r.SpecReports {
		var last *Verdict
		for _, e := range sr.ReportEntries {
			if e.Name != EntryName {
				continue
			}
			v, err := entryVerdict(e.GetRawValue())
			if err != nil {
				return err
			}
			if v.BaselinePath == path {
				last = &v
			}
		}
		if last == nil {
			continue
		}
		tally.Add(&report.Result{Behavior: last.Behavior}, harness.Judgement{Outcome: outcomeOf(sr.State), Mark: markOf(last.Baseline)})
		if last.Update != nil {
			obs = append(obs, *last.Update)
		}
	}
	// the summary line goes to the console, as Ginkgo's own summary does;
	// GinkgoWriter would show it only with -v
	fmt.Fprintf(os.Stdout, "autobahn baseline %s: %s\n", path, tally)
	if len(obs) == 0 {
		return nil
	}
	if err := harness.WriteBaselines(obs); err != nil {
		return fmt.Errorf("suite: %w", err)
	}
	fmt.Fprintf(os.Stdout, "autobahn baseline %s written from %s\n", path, plural.Count(len(obs), "case"))
	return nil
}

// outcomeOf is the outcome a spec's state stands for.
func outcomeOf(s types.SpecState) harness.Outcome {
	switch s {
	case types.SpecStatePassed:
		return harness.Passed
	case types.SpecStateSkipped, types.SpecStatePending:
		return harness.Skipped
	}
	return harness.Failed
}

// markOf is the Mark named s.
func markOf(s string) harness.Mark {
	for m := harness.NoMark; m <= harness.Recorded; m++ {
		if m.String() == s {
			return m
		}
	}
	return harness.NoMark
}
