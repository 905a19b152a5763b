package harness

import (
	"fmt"

	"github.com/wsfuzz/autobahn/report"
)

// Outcome is what a case's result means for a test.
type Outcome int

// Outcomes of Judge.
const (
	// Passed: the result passes.
	Passed Outcome = iota
	// Failed: the result does not pass.
	Failed
	// Skipped: the case is UNIMPLEMENTED under the Lenient policy; the
	// implementation does not claim the feature.
	Skipped
)

// String is the outcome's name.
func (o Outcome) String() string {
	switch o {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	case Skipped:
		return "skipped"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Judgement is the outcome of a case and, unless it passed plainly, why.
// Mark tells what a Baseline made of the case; front-ends need only switch
// on Outcome and print Reason.
type Judgement struct {
	Outcome Outcome
	Reason  string
	Mark    Mark
}

// skips reports whether res is skipped: UNIMPLEMENTED under the Lenient
// policy.
func (c *Config) skips(res *report.Result) bool {
	return c.policy.Skips(res)
}

// Judge decides the outcome of res: by its entry in the Baseline when it
// has one there (expected failure, stale baseline, flaky, regression), else
// under the run's policy.
func (c *Config) Judge(res *report.Result) Judgement {
	if j, ok := c.judgeBaseline(res); ok {
		return j
	}
	switch {
	case c.skips(res):
		return Judgement{Outcome: Skipped, Reason: fmt.Sprintf("case %s is UNIMPLEMENTED: %s", res.ID, res.Result)}
	case c.policy.Accepts(res):
		return Judgement{Outcome: Passed}
	}
	return Judgement{Outcome: Failed, Reason: fmt.Sprintf("case %s: behavior %s, behaviorClose %s do not pass under the %s",
		res.ID, res.Behavior, res.BehaviorClose, c.policy)}
}
