package harness

import "github.com/wsfuzz/autobahn/report"

// Policy decides which verdicts pass: report.Policy, shared by every entry
// point.
type Policy = report.Policy

// Pass policies (report.Lenient and report.Strict).
const (
	// LenientPolicy passes behavior OK, NON-STRICT and INFORMATIONAL, as most
	// projects read Autobahn reports.
	LenientPolicy = report.Lenient
	// StrictPolicy passes behavior OK only, and INFORMATIONAL.
	StrictPolicy = report.Strict
)
