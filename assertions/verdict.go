package assertions

import (
	"github.com/wsfuzz/autobahn/report"
	"slices"
	"strings"

	"github.com/onsi/gomega/format"
	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"
)

// Pass succeeds when the result passes under the Lenient policy.
func Pass() types.GomegaMatcher { return PassUnder(Lenient) }

// PassUnder succeeds when the result passes under policy p.
func PassUnder(p Policy) types.GomegaMatcher { return &passMatcher{policy: p} }

type passMatcher struct{ policy Policy }

func (m *passMatcher) Match(actual any) (bool, error) {
	r, err := resultOf(actual)
	if err != nil {
		return false, err
	}
	return m.policy.Accepts(r), nil
}

func (m *passMatcher) FailureMessage(actual any) string {
	msg := format.Message(actual, "to pass under the "+m.policy.String())
	if r, err := resultOf(actual); err == nil {
		msg += "\nwhich it does not:\n" + "    " + strings.ReplaceAll(Why(r, m.policy), "\n", "\n    ")
	}
	return msg
}

func (m *passMatcher) NegatedFailureMessage(actual any) string {
	return format.Message(actual, "not to pass under the "+m.policy.String())
}

// HaveBehavior succeeds when the result's behavior is one of verdicts
// ("OK", "NON-STRICT", "FAILED", ...).
func HaveBehavior(verdicts ...report.Verdict) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(actual any) (bool, error) {
		r, err := resultOf(actual)
		if err != nil {
			return false, err
		}
		return slices.Contains(verdicts, r.Behavior), nil
	}).WithTemplate("Expected\n{{.FormattedActual}}\n{{.To}} have behavior one of\n{{format .Data 1}}", verdicts)
}

// HaveCloseBehavior succeeds when the result's behaviorClose is one of
// verdicts ("OK", "WRONG CODE", "UNCLEAN", ...).
func HaveCloseBehavior(verdicts ...report.Verdict) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(actual any) (bool, error) {
		r, err := resultOf(actual)
		if err != nil {
			return false, err
		}
		return slices.Contains(verdicts, r.BehaviorClose), nil
	}).WithTemplate("Expected\n{{.FormattedActual}}\n{{.To}} have behaviorClose one of\n{{format .Data 1}}", verdicts)
}
