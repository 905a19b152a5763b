package harness

import (
	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/report"
)

// Policy decides which verdicts pass.
type Policy int

// Pass policies. Under both, behaviorClose must be OK or INFORMATIONAL, and
// UNIMPLEMENTED does not pass (it is skipped under LenientPolicy).
const (
	// LenientPolicy passes behavior OK, NON-STRICT and INFORMATIONAL, as most
	// projects read Autobahn reports.
	LenientPolicy Policy = iota
	// StrictPolicy passes behavior OK only, and INFORMATIONAL, which the fuzzer
	// gives to cases whose outcome the RFC leaves open and which therefore
	// can never be OK.
	StrictPolicy
)

// String names the policy and what it accepts.
func (p Policy) String() string {
	if p == StrictPolicy {
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
		return p == LenientPolicy
	}
	return false
}
