package assertions

import (
	"fmt"
	"strings"

	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/report"
)

// Why says which part of r keeps it from passing under p, and why: one line
// for the closing behaviour, one for the behavior, each with the fuzzer's
// reason. It is empty when r passes. The fuzzer also fails the behavior of
// some cases when the connection closed the wrong way, keeping its reason
// that the events matched; Why says so instead of repeating it.
func Why(r *report.Result, p Policy) string {
	if p.Accepts(r) {
		return ""
	}
	var lines []string
	closeFailed := r.BehaviorClose != runner.OK && r.BehaviorClose != runner.Informational
	if closeFailed {
		lines = append(lines, fmt.Sprintf("behaviorClose %s: %s (%s)", r.BehaviorClose, r.ResultClose, report.ClosingText(r)))
	}
	switch r.Behavior {
	case runner.OK, runner.Informational:
	case runner.NonStrict:
		if p == Strict {
			lines = append(lines, fmt.Sprintf("behavior NON-STRICT: %s; the strict policy passes OK and INFORMATIONAL only", r.Result))
		}
	case runner.Failed:
		switch {
		case closeFailed && eventsMatched(r):
			lines = append(lines, "behavior FAILED because of the close: the events matched, but in this case how the connection closed decides the behavior too")
		case closeFailed && r.Result == r.ResultClose:
			lines = append(lines, "behavior FAILED because of the close: in this case a wrong close code fails the behavior too")
		default:
			lines = append(lines, fmt.Sprintf("behavior FAILED: %s (observed %s; expected %s)", r.Result, EventsString(r.Received), report.ExpectedText(r.Expected)))
		}
	default:
		lines = append(lines, fmt.Sprintf("behavior %s: %s", r.Behavior, r.Result))
	}
	return strings.Join(lines, "\n")
}

// eventsMatched reports whether the observed events are one of the
// expected outcomes.
func eventsMatched(r *report.Result) bool {
	for _, want := range r.Expected {
		if firstDifference(want, r.Received) < 0 {
			return true
		}
	}
	return false
}
