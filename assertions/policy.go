package assertions

import "github.com/wsfuzz/autobahn/report"

// Policy decides which verdicts pass: report.Policy, shared by every entry
// point.
type Policy = report.Policy

// Pass policies (report.Lenient and report.Strict). Under both,
// behaviorClose must be OK or INFORMATIONAL, and UNIMPLEMENTED does not pass
// (a suite skips such a case under Lenient).
const (
	// Lenient passes behavior OK, NON-STRICT and INFORMATIONAL, as most
	// projects read Autobahn reports.
	Lenient = report.Lenient
	// Strict passes behavior OK only, and INFORMATIONAL.
	Strict = report.Strict
)
