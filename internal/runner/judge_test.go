package runner

import (
	"testing"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/chop"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/report"
)

func intp(v int) *int { return &v }

// flags of a connection that opened and closed as the peer was expected to.
func open(mod func(f *engine.Flags)) engine.Flags {
	f := engine.Flags{ConnectionWasOpen: true, WasClean: true}
	if mod != nil {
		mod(&f)
	}
	return f
}

func TestCloseRulesInOrder(t *testing.T) {
	peerFails := cases.ExpectedClose{ClosedByMe: false, Codes: []int{1002}}
	fuzzerCloses := cases.ExpectedClose{ClosedByMe: true, Codes: []int{1000}, RequireClean: true}
	tests := []struct {
		name     string
		exp      cases.ExpectedClose
		flags    engine.Flags
		isServer bool
		want     report.Verdict
		text     string
	}{
		{"proper close", fuzzerCloses, open(func(f *engine.Flags) { f.ClosedByMe = true; f.RemoteCloseCode = intp(1000) }), true,
			report.OK, "Connection was properly closed"},
		{"wrong endpoint comes first", peerFails, open(func(f *engine.Flags) { f.ClosedByMe = true; f.WasClean = false }), true,
			report.Failed, "The connection was failed by the wrong endpoint"},
		{"unclean", fuzzerCloses, open(func(f *engine.Flags) { f.ClosedByMe = true; f.WasClean = false; f.RemoteCloseCode = intp(1001) }), true,
			report.Unclean, "The spec requires the connection to be failed cleanly here"},
		{"wrong code", peerFails, open(func(f *engine.Flags) { f.RemoteCloseCode = intp(1000) }), true,
			report.WrongCode, "The close code should have been 1002 or empty"},
		{"no code passes", peerFails, open(nil), true, report.OK, "Connection was properly closed"},
		{"client that dropped", peerFails, open(func(f *engine.Flags) { f.DroppedByMe = true }), false,
			report.FailedByClient, "It is preferred that the server close the TCP connection"},
		{"server that dropped", peerFails, open(func(f *engine.Flags) { f.DroppedByMe = true }), true,
			report.OK, "Connection was properly closed"},
		{"never open", fuzzerCloses, engine.Flags{}, true, report.Failed, "The WebSocket opening handshake was never completed!"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(&cases.Case{ID: "0.1", Close: tt.exp})
			v := r.judge(tt.flags, tt.isServer, chop.Stats{})
			if v.BehaviorClose != tt.want || v.ResultClose != tt.text {
				t.Fatalf("got %s %q, want %s %q", v.BehaviorClose, v.ResultClose, tt.want, tt.text)
			}
		})
	}
}

func TestBehaviorFromOutcomes(t *testing.T) {
	hello := cases.Event{Kind: cases.Message, Payload: []byte("Hello")}
	c := &cases.Case{ID: "0.2", Close: cases.ExpectedClose{Codes: []int{1002}},
		Expected: []cases.Outcome{{Key: "OK", Events: []cases.Event{hello}}, {Key: "NON-STRICT", Events: []cases.Event{}}}}
	for _, tt := range []struct {
		received []cases.Event
		want     report.Verdict
		result   string
	}{
		{[]cases.Event{hello}, report.OK, "Actual events match at least one expected."},
		{nil, report.NonStrict, "Actual events match at least one expected."},
		{[]cases.Event{hello, hello}, report.Failed, "Actual events differ from any expected."},
		{[]cases.Event{{Kind: cases.Message, Payload: []byte("Hello"), Binary: true}}, report.Failed, "Actual events differ from any expected."},
	} {
		r := New(c)
		r.received = tt.received
		if v := r.judge(open(nil), true, nil); v.Behavior != tt.want || v.Result != tt.result {
			t.Errorf("received %v: got %s %q, want %s", tt.received, v.Behavior, v.Result, tt.want)
		}
	}
}

func TestWrongEndpointIsFatal(t *testing.T) {
	c := &cases.Case{ID: "6.3.1", Expected: []cases.Outcome{{Key: "OK", Events: []cases.Event{}}},
		Close: cases.ExpectedClose{Codes: []int{1007}, WrongEndpointIsFatal: true}}
	v := New(c).judge(open(func(f *engine.Flags) { f.ClosedByMe = true }), true, nil)
	if v.Behavior != report.Failed || v.BehaviorClose != report.Failed || v.Result != "Actual events match at least one expected." {
		t.Fatalf("%+v", v)
	}
}

func TestOverrides(t *testing.T) {
	msg := cases.Event{Kind: cases.Message, Payload: []byte("Hello World!")}
	closeOK := cases.ExpectedClose{ClosedByMe: true, Codes: []int{1000}, RequireClean: true}
	t.Run("wrong code fails the case", func(t *testing.T) {
		c := &cases.Case{ID: "7.7.1", Judge: cases.WrongCodeFails, Expected: []cases.Outcome{{Key: "OK", Events: []cases.Event{}}}, Close: closeOK}
		v := New(c).judge(open(func(f *engine.Flags) { f.ClosedByMe = true; f.RemoteCloseCode = intp(1002) }), true, nil)
		if v.Behavior != report.Failed || v.Result != "The close code should have been 1000 or empty" {
			t.Fatalf("%+v", v)
		}
	})
	t.Run("informational", func(t *testing.T) {
		c := &cases.Case{ID: "7.13.1", Judge: cases.Informational, Close: cases.ExpectedClose{ClosedByMe: true}}
		v := New(c).judge(open(nil), true, nil)
		if v.Behavior != report.Informational || v.BehaviorClose != report.Informational || v.Result != "Actual events are undefined by the spec." {
			t.Fatalf("%+v", v)
		}
	})
	for _, tt := range []struct {
		received []cases.Event
		text     string
	}{
		{[]cases.Event{msg}, "Text message was processed before close."},
		{nil, "Close was processed before text message could be returned."},
		{[]cases.Event{msg, msg}, "Actual events differ from any expected."},
	} {
		c := &cases.Case{ID: "7.1.6", Judge: cases.InformationalOrder, Close: closeOK,
			Expected: []cases.Outcome{{Key: "OK", Events: []cases.Event{msg}}, {Key: "NON-STRICT", Events: []cases.Event{}}}}
		r := New(c)
		r.received = tt.received
		if v := r.judge(open(nil), true, nil); v.Behavior != report.Informational || v.Result != tt.text {
			t.Errorf("7.1.6 with %d events: %+v", len(tt.received), v)
		}
	}
	t.Run("frame count", func(t *testing.T) {
		c := &cases.Case{ID: "10.1.1", Judge: cases.FrameCount, Close: closeOK,
			Expected: []cases.Outcome{{Key: "OK", Events: []cases.Event{}}},
			Steps:    []cases.Step{{Action: cases.AutoFragment, Length: 1300}, {Action: cases.SendMessage, Payload: make([]byte, 65536)}}}
		if v := New(c).judge(open(func(f *engine.Flags) { f.ClosedByMe = true }), true, chop.Stats{0: 50, 1: 1, 8: 1}); v.Behavior != report.OK {
			t.Errorf("50 continuation frames and one text frame must pass: %+v", v)
		}
		if v := New(c).judge(open(func(f *engine.Flags) { f.ClosedByMe = true }), true, chop.Stats{0: 49, 1: 1}); v.Behavior != report.Failed ||
			v.Result != "Frames transmitted {0: 49, 1: 1} does not match what we expected {0: 50, 1: 1}." {
			t.Errorf("a wrong count must fail: %+v", v)
		}
		if v := New(c).judge(engine.Flags{}, true, nil); v.Result != "WebSocket connection was never open" {
			t.Errorf("never open: %+v", v)
		}
	})
}
