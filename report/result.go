// Package report holds the result of a case as the real fuzzer reports it
// (the 39 keys of its per-case JSON), and writes and reads Autobahn-compatible
// report directories: index.json, one JSON file per case and agent, and HTML.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// Event is an expected or received event: ["message", payload, binary],
// ["pong", payload] or ["timeout", tag]. Payloads are kept raw in memory and
// shown as display text (or 0x-hex) in JSON, as by the real fuzzer.
type Event struct {
	Kind    string
	Payload []byte
	Binary  bool
	Tag     string
}

// Equal reports whether e and o are the same event.
func (e Event) Equal(o Event) bool {
	return e.Kind == o.Kind && bytes.Equal(e.Payload, o.Payload) && e.Binary == o.Binary && e.Tag == o.Tag
}

// MarshalJSON encodes e as an Autobahn event array.
func (e Event) MarshalJSON() ([]byte, error) {
	switch e.Kind {
	case "message":
		return json.Marshal([]any{e.Kind, wirelog.Text(e.Payload), e.Binary})
	case "pong", "ping":
		return json.Marshal([]any{e.Kind, wirelog.Text(e.Payload)})
	case "timeout":
		return json.Marshal([]any{e.Kind, e.Tag})
	}
	return nil, fmt.Errorf("report: unknown event kind %q", e.Kind)
}

// UnmarshalJSON decodes an event array; the payload is the display text.
func (e *Event) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) < 2 {
		return fmt.Errorf("report: event %s is not an array of 2 or 3", b)
	}
	*e = Event{}
	if err := json.Unmarshal(raw[0], &e.Kind); err != nil {
		return fmt.Errorf("report: event kind: %w", err)
	}
	var s string
	if err := json.Unmarshal(raw[1], &s); err != nil {
		return fmt.Errorf("report: event %s: %w", e.Kind, err)
	}
	switch e.Kind {
	case "message":
		if len(raw) != 3 {
			return fmt.Errorf("report: message event needs 3 elements")
		}
		e.Payload = []byte(s)
		return json.Unmarshal(raw[2], &e.Binary)
	case "pong", "ping":
		e.Payload = []byte(s)
	case "timeout":
		e.Tag = s
	default:
		return fmt.Errorf("report: unknown event kind %q", e.Kind)
	}
	return nil
}

// ExpectedClose is the expected closing behaviour. It is written as {} when
// the case never set it (the connection never opened).
type ExpectedClose struct {
	Set                  bool
	ClosedByMe           bool
	CloseCode            []int
	RequireClean         bool
	WrongEndpointIsFatal bool
}

type expectedCloseJSON struct {
	CloseCode            []int `json:"closeCode"`
	ClosedByMe           bool  `json:"closedByMe"`
	RequireClean         bool  `json:"requireClean"`
	WrongEndpointIsFatal *bool `json:"closedByWrongEndpointIsFatal,omitempty"`
}

// MarshalJSON writes the Autobahn form.
func (x ExpectedClose) MarshalJSON() ([]byte, error) {
	if !x.Set {
		return []byte("{}"), nil
	}
	j := expectedCloseJSON{CloseCode: x.CloseCode, ClosedByMe: x.ClosedByMe, RequireClean: x.RequireClean}
	if x.WrongEndpointIsFatal {
		t := true
		j.WrongEndpointIsFatal = &t
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the Autobahn form.
func (x *ExpectedClose) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("report: expectedClose: %w", err)
	}
	*x = ExpectedClose{Set: len(m) > 0}
	if !x.Set {
		return nil
	}
	var j expectedCloseJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("report: expectedClose: %w", err)
	}
	x.CloseCode, x.ClosedByMe, x.RequireClean = j.CloseCode, j.ClosedByMe, j.RequireClean
	x.WrongEndpointIsFatal = j.WrongEndpointIsFatal != nil && *j.WrongEndpointIsFatal
	return nil
}

// TrafficStats are the traffic counters of a compression case, with their
// keys in sorted order as the real fuzzer writes them.
type TrafficStats struct {
	IncomingCompressionRatio       *float64 `json:"incomingCompressionRatio"`
	IncomingOctetsAppLevel         int64    `json:"incomingOctetsAppLevel"`
	IncomingOctetsWebSocketLevel   int64    `json:"incomingOctetsWebSocketLevel"`
	IncomingOctetsWireLevel        int64    `json:"incomingOctetsWireLevel"`
	IncomingWebSocketFrames        int64    `json:"incomingWebSocketFrames"`
	IncomingWebSocketMessages      int64    `json:"incomingWebSocketMessages"`
	IncomingWebSocketOverhead      *float64 `json:"incomingWebSocketOverhead"`
	OutgoingCompressionRatio       *float64 `json:"outgoingCompressionRatio"`
	OutgoingOctetsAppLevel         int64    `json:"outgoingOctetsAppLevel"`
	OutgoingOctetsWebSocketLevel   int64    `json:"outgoingOctetsWebSocketLevel"`
	OutgoingOctetsWireLevel        int64    `json:"outgoingOctetsWireLevel"`
	OutgoingWebSocketFrames        int64    `json:"outgoingWebSocketFrames"`
	OutgoingWebSocketMessages      int64    `json:"outgoingWebSocketMessages"`
	OutgoingWebSocketOverhead      *float64 `json:"outgoingWebSocketOverhead"`
	PreopenIncomingOctetsWireLevel int64    `json:"preopenIncomingOctetsWireLevel"`
	PreopenOutgoingOctetsWireLevel int64    `json:"preopenOutgoingOctetsWireLevel"`
}

// Result is everything reported about one case run against one agent: the
// 39 keys of the real fuzzer's per-case JSON.
type Result struct {
	Agent                          string             `json:"agent"`
	Behavior                       Verdict            `json:"behavior"`
	BehaviorClose                  Verdict            `json:"behaviorClose"`
	Case                           int                `json:"case"`
	ClosedByMe                     bool               `json:"closedByMe"`
	CreateStats                    bool               `json:"createStats"`
	CreateWirelog                  bool               `json:"createWirelog"`
	Description                    string             `json:"description"`
	DroppedByMe                    bool               `json:"droppedByMe"`
	Duration                       int64              `json:"duration"`
	Expectation                    string             `json:"expectation"`
	Expected                       map[string][]Event `json:"expected"`
	ExpectedClose                  ExpectedClose      `json:"expectedClose"`
	FailedByMe                     bool               `json:"failedByMe"`
	HTTPRequest                    string             `json:"httpRequest"`
	HTTPResponse                   string             `json:"httpResponse"`
	ID                             string             `json:"id"`
	IsServer                       bool               `json:"isServer"`
	LocalCloseCode                 *int               `json:"localCloseCode"`
	LocalCloseReason               *string            `json:"localCloseReason"`
	Received                       []Event            `json:"received"`
	RemoteCloseCode                *int               `json:"remoteCloseCode"`
	RemoteCloseReason              *string            `json:"remoteCloseReason"`
	ReportCompressionRatio         bool               `json:"reportCompressionRatio"`
	ReportTime                     bool               `json:"reportTime"`
	Result                         string             `json:"result"`
	ResultClose                    string             `json:"resultClose"`
	RxFrameStats                   Stats              `json:"rxFrameStats"`
	RxOctetStats                   Stats              `json:"rxOctetStats"`
	Started                        string             `json:"started"`
	TrafficStats                   *TrafficStats      `json:"trafficStats"`
	TxFrameStats                   Stats              `json:"txFrameStats"`
	TxOctetStats                   Stats              `json:"txOctetStats"`
	WasClean                       bool               `json:"wasClean"`
	WasCloseHandshakeTimeout       bool               `json:"wasCloseHandshakeTimeout"`
	WasNotCleanReason              *string            `json:"wasNotCleanReason"`
	WasOpenHandshakeTimeout        bool               `json:"wasOpenHandshakeTimeout"`
	WasServerConnectionDropTimeout bool               `json:"wasServerConnectionDropTimeout"`
	Wirelog                        []WireEntry        `json:"wirelog"`

	// Baseline is what an expected-results baseline made of the case
	// ("expected failure", "stale baseline", "flaky", "regression"), shown
	// beside the verdict in index.html; "" for none. It is not one of the
	// fuzzer's keys and is never written to JSON.
	Baseline string `json:"-"`

	// Notes are what the entry point observed beside the fuzzer's verdicts
	// (the error the client function under test returned, a server that
	// did not stop cleanly), for messages. They are not among the fuzzer's
	// keys and are never written to JSON.
	Notes []string `json:"-"`

	// Policy is the pass policy the case was judged under (Lenient unless
	// set), which the totals of index.html count by. It is not one of the
	// fuzzer's keys and is never written to JSON.
	Policy Policy `json:"-"`

	// Scheme is the URL scheme the case ran over, "ws" or "wss" (TLS),
	// shown on the HTML pages; "" when unknown (results read from JSON).
	// It is not one of the fuzzer's keys and is never written to JSON.
	Scheme string `json:"-"`
}

// Passed reports whether the result passes under the Lenient policy.
func (r *Result) Passed() bool { return Lenient.Accepts(r) }
