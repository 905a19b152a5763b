package assertions

import "github.com/wsfuzz/autobahn/report"

// Why says which part of r keeps it from passing under p, and why
// (report.Why); it is empty when r passes.
func Why(r *report.Result, p Policy) string { return report.Why(r, p) }
