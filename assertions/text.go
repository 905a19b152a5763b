package assertions

import (
	"github.com/wsfuzz/autobahn/report"
)

// The text rendering of results lives in package report, which has no
// Gomega import, so that package autobahntest shares it; these names keep
// it reachable from here.

// TailLength is how many wire log entries a summary shows, from the end.
const TailLength = report.TailLength

// Summary renders a result for a reader: the case, its verdicts, the
// expected and observed events, how the connection closed, and the last
// TailLength entries of the wire log (report.Summary).
func Summary(r *report.Result) string { return report.Summary(r) }

// WireLog is a wire log that renders as one line per entry for a reader
// (String) and as the Autobahn report arrays in JSON (report.WireLog).
// Ginkgo report entries of this type show the lines on the console and the
// arrays in JSON and JUnit reports.
type WireLog = report.WireLog

// EntryString renders one wire log entry (report.EntryString).
func EntryString(e report.WireEntry) string { return report.EntryString(e) }

// EventString renders one event (report.EventString).
func EventString(e report.Event) string { return report.EventString(e) }

// EventsString renders a list of events in brackets (report.EventsString).
func EventsString(es []report.Event) string { return report.EventsString(es) }

// SummaryWithoutWireLog is Summary without the wire log, for a message
// shown where the wire log is attached on its own
// (report.SummaryWithoutWireLog).
func SummaryWithoutWireLog(r *report.Result) string { return report.SummaryWithoutWireLog(r) }
