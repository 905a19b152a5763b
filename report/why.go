package report

import (
	"fmt"
	"github.com/wsfuzz/autobahn/internal/caseid"
	"slices"
	"strings"
)

// Why says which part of r keeps it from passing under p, and why: one line
// for the closing behaviour, one for the behavior, each with the fuzzer's
// reason. It is empty when r passes. The fuzzer also fails the behavior of
// some cases when the connection closed the wrong way, keeping its reason
// that the events matched; Why says so instead of repeating it. A line says
// what was observed, which the fuzzer's reasons can miss (who ended TCP,
// when, after how many frames, the negotiated extensions and subprotocol),
// and the entry point's notes (Notes: the client's returned error) follow.
func Why(r *Result, p Policy) string {
	if p.Accepts(r) {
		return ""
	}
	var lines []string
	closeFailed := !closePasses(r.BehaviorClose)
	if closeFailed {
		lines = append(lines, fmt.Sprintf("behaviorClose %s: %s (%s)", r.BehaviorClose, r.ResultClose, closingString(r)))
	}
	switch r.Behavior {
	case OK, Informational:
	case NonStrict:
		if p == Strict {
			lines = append(lines, fmt.Sprintf("behavior NON-STRICT: %s; the strict policy passes OK and INFORMATIONAL only", r.Result))
		}
	case Failed:
		switch {
		case closeFailed && eventsMatched(r):
			lines = append(lines, "behavior FAILED because of the close: the events matched, but in this case how the connection closed decides the behavior too")
		case closeFailed && r.Result == r.ResultClose:
			lines = append(lines, "behavior FAILED because of the close: in this case a wrong close code fails the behavior too")
		case eventsMatched(r):
			lines = append(lines, fmt.Sprintf("behavior FAILED: %s", r.Result))
		default:
			lines = append(lines, fmt.Sprintf("behavior FAILED: %s (observed %s; expected %s)", r.Result, EventsString(r.Received), expectedString(r.Expected)))
		}
	default:
		lines = append(lines, fmt.Sprintf("behavior %s: %s", r.Behavior, r.Result))
	}
	lines = append(lines, observed(r))
	if caseid.IsExtended(r.ID) {
		lines = append(lines, fmt.Sprintf("handshake request (%s): %q", sender(!r.IsServer), r.HTTPRequest),
			fmt.Sprintf("handshake response (%s): %q", sender(r.IsServer), r.HTTPResponse))
	}
	lines = append(lines, r.Notes...)
	return strings.Join(lines, "\n")
}

// sender names who sent a handshake head: the fuzzer or the peer.
func sender(fuzzer bool) string {
	if fuzzer {
		return "sent by the fuzzer"
	}
	return "sent by the peer"
}

// eventsMatched reports whether the observed events are one of the
// expected outcomes.
func eventsMatched(r *Result) bool {
	for _, want := range r.Expected {
		if slices.EqualFunc(want, r.Received, Event.Equal) {
			return true
		}
	}
	return false
}
