package harness

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/plural"
	"github.com/wsfuzz/autobahn/report"
)

// Tally counts the judged cases of a run for its closing summary line.
type Tally struct {
	Cases, Passed, Failed, FailedAsExpected, Informational, Skipped int
	// Stale and Flaky count the failures and passes that a baseline
	// decided as stale and as flaky.
	Stale, Flaky int
}

// Add counts res, judged as j.
func (t *Tally) Add(res *report.Result, j Judgement) {
	t.Cases++
	switch j.Mark {
	case StaleBaseline:
		t.Stale++
	case Flaky:
		t.Flaky++
	}
	switch {
	case j.Outcome == Failed:
		t.Failed++
	case j.Outcome == Skipped:
		t.Skipped++
	case j.Mark == ExpectedFailure, j.Mark == Recorded:
		t.FailedAsExpected++
	case res.Behavior == report.Informational:
		t.Informational++
	default:
		t.Passed++
	}
}

// String is the summary line: "517 cases: 510 passed, 0 failed, 4 failed
// as expected, 3 informational", then the skipped, stale and flaky counts
// when there are any.
func (t Tally) String() string {
	s := fmt.Sprintf("%s: %d passed, %d failed, %d failed as expected, %d informational",
		plural.Count(t.Cases, "case"), t.Passed, t.Failed, t.FailedAsExpected, t.Informational)
	if t.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped (unimplemented)", t.Skipped)
	}
	if t.Stale > 0 {
		s += fmt.Sprintf(", %d of the failed stale in the baseline", t.Stale)
	}
	if t.Flaky > 0 {
		s += fmt.Sprintf(", %d flaky", t.Flaky)
	}
	return s
}
