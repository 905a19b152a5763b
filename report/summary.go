package report

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TailLength is how many wire log entries a summary shows, from the end.
const TailLength = 16

// Summary renders a result for a reader: the case, its verdicts, the
// expected and observed events, how the connection closed, and the last
// TailLength entries of the wire log.
func Summary(r *Result) string {
	var b strings.Builder
	b.WriteString(SummaryWithoutWireLog(r))
	log := r.Wirelog
	switch {
	case len(log) == 0:
		b.WriteString("\nwire log:        empty")
	case len(log) <= TailLength:
		fmt.Fprintf(&b, "\nwire log (%d entries):\n%s", len(log), indent(WireLog(log).String()))
	default:
		fmt.Fprintf(&b, "\nwire log, last %d of %d entries:\n%s", TailLength, len(log), indent(WireLog(log[len(log)-TailLength:]).String()))
	}
	return b.String()
}

// SummaryWithoutWireLog is Summary without the wire log, for a message shown
// beside the whole log.
func SummaryWithoutWireLog(r *Result) string {
	var b strings.Builder
	role := "client (the fuzzer is the server)"
	if !r.IsServer {
		role = "server (the fuzzer is the client)"
	}
	fmt.Fprintf(&b, "case %s: %s\n", r.ID, r.Description)
	over := ""
	if r.Scheme != "" {
		over = " over " + r.Scheme + "://"
	}
	fmt.Fprintf(&b, "testing:         %s %q%s\n", role, r.Agent, over)
	fmt.Fprintf(&b, "behavior:        %s - %s\n", r.Behavior, r.Result)
	fmt.Fprintf(&b, "behaviorClose:   %s - %s\n", r.BehaviorClose, r.ResultClose)
	fmt.Fprintf(&b, "expectation:     %s\n", r.Expectation)
	fmt.Fprintf(&b, "expected events: %s\n", expectedString(r.Expected))
	fmt.Fprintf(&b, "observed events: %s\n", EventsString(r.Received))
	fmt.Fprintf(&b, "expected close:  %s\n", expectedCloseString(r.ExpectedClose))
	fmt.Fprintf(&b, "close codes:     remote %s, local %s\n", codeString(r.RemoteCloseCode, r.RemoteCloseReason), codeString(r.LocalCloseCode, r.LocalCloseReason))
	fmt.Fprintf(&b, "closing:         %s", closingString(r))
	return b.String()
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }

func expectedString(m map[string][]Event) string {
	if len(m) == 0 {
		return "none (the case is judged otherwise)"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// OK first, then the other keys in order
	slices.SortFunc(keys, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == string(OK):
			return -1
		case b == string(OK):
			return 1
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + EventsString(m[k])
	}
	return strings.Join(parts, " or ")
}

func expectedCloseString(x ExpectedClose) string {
	if !x.Set {
		return "none (the connection never opened)"
	}
	who := "the peer fails or closes"
	if x.ClosedByMe {
		who = "the fuzzer closes"
	}
	codes := make([]string, len(x.CloseCode))
	for i, c := range x.CloseCode {
		codes[i] = strconv.Itoa(c)
	}
	clean := "clean or not"
	if x.RequireClean {
		clean = "cleanly"
	}
	return fmt.Sprintf("%s, %s, peer's code %s or none", who, clean, strings.Join(codes, ", "))
}

func codeString(code *int, reason *string) string {
	if code == nil {
		return "none"
	}
	if reason == nil || *reason == "" {
		return strconv.Itoa(*code)
	}
	return fmt.Sprintf("%d %q", *code, *reason)
}

func closingString(r *Result) string {
	var parts []string
	if r.ClosedByMe {
		parts = append(parts, "the fuzzer started the closing handshake")
	} else {
		parts = append(parts, "the fuzzer did not start the closing handshake")
	}
	if r.FailedByMe {
		parts = append(parts, "the fuzzer failed the connection")
	}
	if r.DroppedByMe {
		parts = append(parts, "the fuzzer dropped TCP")
	}
	if r.WasClean {
		parts = append(parts, "clean")
	} else if r.WasNotCleanReason != nil {
		parts = append(parts, "not clean: "+*r.WasNotCleanReason)
	} else {
		parts = append(parts, "not clean")
	}
	return strings.Join(parts, "; ")
}

// EventString renders one event: `text message "Hello"`, `binary message
// 0x00ff (2 octets)`, `pong "x"`, `timeout "tag"`.
func EventString(e Event) string {
	switch {
	case e.Kind == "message" && e.Binary:
		return "binary message " + payloadString(e.Payload, true)
	case e.Kind == "message":
		return "text message " + payloadString(e.Payload, false)
	case e.Kind == "timeout":
		return "timeout " + strconv.Quote(e.Tag)
	}
	return e.Kind + " " + payloadString(e.Payload, false)
}

// EventsString renders a list of events in brackets.
func EventsString(es []Event) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = EventString(e)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// shownOctets is how much of a payload an event shows.
const shownOctets = 48

func payloadString(p []byte, binary bool) string {
	cut := p[:min(len(p), shownOctets)]
	var s string
	if binary || !utf8.Valid(p) {
		s = "0x" + hex.EncodeToString(cut)
	} else {
		s = strconv.Quote(string(cut))
	}
	if binary || len(cut) < len(p) {
		s += fmt.Sprintf(" (%d octets)", len(p))
	}
	return s
}

// ExpectedText renders the expected outcomes of a case as Summary shows them.
func ExpectedText(m map[string][]Event) string { return expectedString(m) }

// ClosingText says how the connection of r closed, as Summary shows it.
func ClosingText(r *Result) string { return closingString(r) }
