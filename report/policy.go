package report

// Policy decides which verdicts pass.
type Policy int

// Pass policies. Under both, behaviorClose must be OK or INFORMATIONAL, and
// UNIMPLEMENTED does not pass (the entry points skip such a case under
// Lenient: the implementation does not claim the feature).
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
func (p Policy) Accepts(r *Result) bool {
	if !closePasses(r.BehaviorClose) {
		return false
	}
	switch r.Behavior {
	case OK, Informational:
		return true
	case NonStrict:
		return p == Lenient
	}
	return false
}

// Skips reports whether p skips r rather than judging it: an UNIMPLEMENTED
// case under Lenient.
func (p Policy) Skips(r *Result) bool { return p == Lenient && r.Behavior == Unimplemented }

// closePasses reports whether a behaviorClose passes under every policy.
func closePasses(v Verdict) bool { return v == OK || v == Informational }
