package assertions

import (
	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/report"
)

// Policy decides which verdicts pass.
type Policy int

// Pass policies. Under both, behaviorClose must be OK or INFORMATIONAL, and
// UNIMPLEMENTED does not pass (a suite skips such a case under Lenient).
const (
	// Lenient passes behavior OK, NON-STRICT and INFORMATIONAL, as most
	// projects read Autobahn reports.
	Lenient Policy = iota
	// Strict passes behavior OK only, and INFORMATIONAL, which the fuzzer
	// gives to cases whose outcome the RFC leaves open and which therefore
	// can never be OK.
	Strict
)

// String names the policy and what it accepts.
func (p Policy) String() string {
	if p == Strict {
		return "strict policy (behavior OK or INFORMATIONAL, behaviorClose OK or INFORMATIONAL)"
	}
	return "default policy (behavior OK, NON-STRICT or INFORMATIONAL, behaviorClose OK or INFORMATIONAL)"
}

// Accepts reports whether r passes under p.
func (p Policy) Accepts(r *report.Result) bool {
	switch r.BehaviorClose {
	case runner.OK, runner.Informational:
	default:
		return false
	}
	switch r.Behavior {
	case runner.OK, runner.Informational:
		return true
	case runner.NonStrict:
		return p == Lenient
	}
	return false
}
