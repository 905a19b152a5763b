package report

import (
	"strings"
	"testing"
)

// closedWrong is a result whose events matched but whose connection was
// closed by the wrong endpoint, which the fuzzer makes a failed behavior
// too, keeping the reason that the events matched.
func closedWrong() *Result {
	hello := Event{Kind: "message", Payload: []byte("Hello")}
	return &Result{ID: "6.3.1", Behavior: "FAILED", Result: "Actual events match at least one expected.",
		BehaviorClose: "FAILED", ResultClose: "The connection was failed by the wrong endpoint",
		Expected: map[string][]Event{"OK": {hello}}, Received: []Event{hello}, ClosedByMe: true}
}

func TestWhySaysWhichPartFailed(t *testing.T) {
	nonStrict := &Result{Behavior: "NON-STRICT", Result: "Actual events match at least one expected.", BehaviorClose: "OK"}
	wrongCode := &Result{Behavior: "FAILED", Result: "The close code should have been 1002 or empty",
		BehaviorClose: "WRONG CODE", ResultClose: "The close code should have been 1002 or empty"}
	for _, tc := range []struct {
		name   string
		r      *Result
		p      Policy
		want   []string
		absent string
	}{
		{"close decides", closedWrong(), Lenient, []string{
			"behaviorClose FAILED: The connection was failed by the wrong endpoint (the fuzzer started the closing handshake",
			"behavior FAILED because of the close: the events matched"}, "Actual events match"},
		{"wrong code", wrongCode, Lenient, []string{"behaviorClose WRONG CODE: The close code should have been 1002",
			"behavior FAILED because of the close: in this case a wrong close code fails the behavior too"}, ""},
		{"strict", nonStrict, Strict, []string{"behavior NON-STRICT: Actual events match at least one expected.; the strict policy passes OK and INFORMATIONAL only"}, "behaviorClose"},
		{"passes", nonStrict, Lenient, nil, "behavior"},
	} {
		got := Why(tc.r, tc.p)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: Why = %q, want it to contain %q", tc.name, got, w)
			}
		}
		if tc.absent != "" && strings.Contains(got, tc.absent) {
			t.Errorf("%s: Why = %q, want no %q", tc.name, got, tc.absent)
		}
	}
}

// The observed line says who ended TCP, when, after how many frames, with
// which extensions and subprotocol, from the result's own record.
func TestWhySaysWhatWasObserved(t *testing.T) {
	opened := &Result{ID: "1.1.1", Behavior: "FAILED", BehaviorClose: "OK", Duration: 7, ExpectedClose: ExpectedClose{Set: true},
		RxFrameStats: map[int]int{1: 2}, TxFrameStats: map[int]int{1: 1, 8: 1},
		HTTPResponse: "HTTP/1.1 101 Switching Protocols\r\nsec-websocket-protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"}
	clean := *opened
	clean.WasClean, clean.DroppedByMe = true, true
	never := &Result{ID: "1.1.1", Behavior: "FAILED", BehaviorClose: "FAILED", Duration: 3}
	for _, tc := range []struct {
		r    *Result
		want string
	}{
		{opened, `observed: the peer dropped TCP 7 ms after the opening handshake (2 frames from the peer, 2 frames from the fuzzer); extensions "permessage-deflate", subprotocol "chat"`},
		{&clean, "observed: the fuzzer closed TCP after a clean closing handshake, 7 ms after the opening handshake"},
		{never, "observed: the opening handshake never completed; the peer dropped TCP 3 ms after connecting"},
	} {
		if got := Why(tc.r, Lenient); !strings.Contains(got, tc.want) {
			t.Errorf("Why = %q, want it to contain %q", got, tc.want)
		}
	}
}
