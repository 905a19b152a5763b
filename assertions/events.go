package assertions

import (
	"fmt"

	"github.com/onsi/gomega/format"
	"github.com/onsi/gomega/types"
	"github.com/wsfuzz/autobahn/report"
)

// TextMessage is a text message event with payload p.
func TextMessage(p string) report.Event {
	return report.Event{Kind: "message", Payload: []byte(p)}
}

// BinaryMessage is a binary message event with payload p.
func BinaryMessage(p []byte) report.Event {
	return report.Event{Kind: "message", Payload: p, Binary: true}
}

// Pong is a pong event with payload p.
func Pong(p []byte) report.Event { return report.Event{Kind: "pong", Payload: p} }

// Timeout is the event a case records when the peer was still open at the
// end of one of its waits.
func Timeout(tag string) report.Event { return report.Event{Kind: "timeout", Tag: tag} }

// HaveReceived succeeds when the fuzzer observed exactly events, in order:
// the messages and pongs from the peer, and the case's timeouts. Cases
// judged on echoes of large messages (9.x) and compression cases record
// none.
func HaveReceived(events ...report.Event) types.GomegaMatcher {
	return &receivedMatcher{expected: events}
}

type receivedMatcher struct {
	expected []report.Event
	// where the observed events first differ, found by Match
	firstDiff int
}

func (m *receivedMatcher) Match(actual any) (bool, error) {
	r, err := resultOf(actual)
	if err != nil {
		return false, err
	}
	m.firstDiff = firstDifference(m.expected, r.Received)
	return m.firstDiff < 0, nil
}

func (m *receivedMatcher) FailureMessage(actual any) string {
	return format.Message(actual, fmt.Sprintf("to have received, in order (the first difference is event %d)", m.firstDiff+1), m.expected)
}

func (m *receivedMatcher) NegatedFailureMessage(actual any) string {
	return format.Message(actual, "not to have received, in order", m.expected)
}

// firstDifference is the index where two event lists first differ, or -1.
func firstDifference(a, b []report.Event) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || !a[i].Equal(b[i]) {
			return i
		}
	}
	return -1
}
