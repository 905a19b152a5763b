package assertions

import "github.com/wsfuzz/autobahn/harness"

// Policy decides which verdicts pass: package harness's, shared by every
// entry point.
type Policy = harness.Policy

// Pass policies. Under both, behaviorClose must be OK or INFORMATIONAL, and
// UNIMPLEMENTED does not pass (a suite skips such a case under Lenient).
const (
	// Lenient passes behavior OK, NON-STRICT and INFORMATIONAL, as most
	// projects read Autobahn reports.
	Lenient = harness.LenientPolicy
	// Strict passes behavior OK only, and INFORMATIONAL, which the fuzzer
	// gives to cases whose outcome the RFC leaves open and which therefore
	// can never be OK.
	Strict = harness.StrictPolicy
)
