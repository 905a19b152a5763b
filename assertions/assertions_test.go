package assertions_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/internal/wirelog"
	"github.com/wsfuzz/autobahn/report"
)

func intp(v int) *int       { return &v }
func strp(s string) *string { return &s }

// failedRSV is a result as a client that ignores RSV bits gets for 3.1.
func failedRSV(logLength int) *report.Result {
	r := &report.Result{
		ID: "3.1", Agent: "broken", IsServer: true, Description: "Send a small text message with RSV = 1.",
		Expectation: "The peer fails the connection (1002) at once.",
		Behavior:    "FAILED", Result: "Actual events differ from any expected.",
		BehaviorClose: "FAILED", ResultClose: "The connection was failed by the wrong endpoint",
		Expected:      map[string][]report.Event{"OK": {}},
		ExpectedClose: report.ExpectedClose{Set: true, CloseCode: []int{1002}},
		Received:      []report.Event{assertions.TextMessage("Hello, world!")},
		ClosedByMe:    true, FailedByMe: true, WasClean: true,
		RemoteCloseCode: intp(1001), LocalCloseCode: intp(1001), LocalCloseReason: strp("Going Away"),
	}
	for i := range logLength {
		r.Wirelog = append(r.Wirelog, report.WireEntry(wirelog.TxOctetsEntry([]byte{byte(i)}, true)))
	}
	return r
}

func TestPolicies(t *testing.T) {
	for _, tc := range []struct {
		behavior, behaviorClose string
		lenient, strict         bool
	}{
		{"OK", "OK", true, true},
		{"NON-STRICT", "OK", true, false},
		{"INFORMATIONAL", "INFORMATIONAL", true, true},
		{"INFORMATIONAL", "OK", true, true},
		{"UNIMPLEMENTED", "OK", false, false},
		{"FAILED", "OK", false, false},
		{"OK", "WRONG CODE", false, false},
		{"OK", "UNCLEAN", false, false},
		{"OK", "FAILED BY CLIENT", false, false},
		{"OK", "FAILED", false, false},
	} {
		r := &report.Result{Behavior: report.Verdict(tc.behavior), BehaviorClose: report.Verdict(tc.behaviorClose)}
		if got := assertions.Lenient.Accepts(r); got != tc.lenient {
			t.Errorf("lenient %s/%s: got %v", tc.behavior, tc.behaviorClose, got)
		}
		if got := assertions.Strict.Accepts(r); got != tc.strict {
			t.Errorf("strict %s/%s: got %v", tc.behavior, tc.behaviorClose, got)
		}
		ok, err := assertions.PassUnder(assertions.Strict).Match(r)
		if err != nil || ok != tc.strict {
			t.Errorf("PassUnder(Strict) %s/%s: got %v, %v", tc.behavior, tc.behaviorClose, ok, err)
		}
	}
}

// TestFailureMessage checks that a failed pass names the case, the verdicts,
// the expected and observed events, the close codes and the end of the
// wire log.
func TestFailureMessage(t *testing.T) {
	r := failedRSV(20)
	m := assertions.Pass()
	if ok, err := m.Match(r); ok || err != nil {
		t.Fatalf("Pass matched a failed case: %v, %v", ok, err)
	}
	msg := m.FailureMessage(r)
	for _, want := range []string{
		"Expected\n",
		"case 3.1: Send a small text message with RSV = 1.",
		"behavior:        FAILED - Actual events differ from any expected.",
		"behaviorClose:   FAILED - The connection was failed by the wrong endpoint",
		"expected events: OK []",
		`observed events: [text message "Hello, world!"]`,
		"expected close:  the peer fails or closes, clean or not, peer's code 1002 or none",
		`close codes:     remote 1001, local 1001 "Going Away"`,
		"wire log, last 16 of 20 entries:",
		"TX octets (1) sync: 13", // the last entry
		"to pass under the default policy",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "TX octets (1) sync: 03\n") {
		t.Errorf("failure message shows more than the last %d entries:\n%s", assertions.TailLength, msg)
	}
	if neg := m.NegatedFailureMessage(r); !strings.Contains(neg, "not to pass") {
		t.Errorf("negated message: %s", neg)
	}
}

type holder struct{ r *report.Result }

func (h holder) AutobahnResult() *report.Result { return h.r }

func TestMatchers(t *testing.T) {
	r := failedRSV(3)
	for _, tc := range []struct {
		name    string
		matcher types.GomegaMatcher
		want    bool
	}{
		{"behavior FAILED", assertions.HaveBehavior("FAILED"), true},
		{"behavior OK or NON-STRICT", assertions.HaveBehavior("OK", "NON-STRICT"), false},
		{"behaviorClose FAILED", assertions.HaveCloseBehavior("OK", "FAILED"), true},
		{"remote 1001", assertions.HaveRemoteCloseCode(1002, 1001), true},
		{"remote 1002", assertions.HaveRemoteCloseCode(1002), false},
		{"any remote code", assertions.HaveRemoteCloseCode(), true},
		{"local 1001", assertions.HaveLocalCloseCode(1001), true},
		{"clean", assertions.HaveClosedCleanly(), true},
		{"closed by fuzzer", assertions.BeClosedBy(assertions.Fuzzer), true},
		{"closed by peer", assertions.BeClosedBy(assertions.Peer), false},
		{"failed by fuzzer", assertions.BeFailedBy(assertions.Fuzzer), true},
		{"dropped by peer", assertions.BeDroppedBy(assertions.Peer), true},
		{"received", assertions.HaveReceived(assertions.TextMessage("Hello, world!")), true},
		{"received nothing", assertions.HaveReceived(), false},
		{"received binary", assertions.HaveReceived(assertions.BinaryMessage([]byte("Hello, world!"))), false},
		{"pass", assertions.Pass(), false},
	} {
		for _, actual := range []any{r, *r, holder{r}} {
			got, err := tc.matcher.Match(actual)
			if err != nil || got != tc.want {
				t.Errorf("%s on %T: got %v, %v, want %v", tc.name, actual, got, err, tc.want)
			}
		}
	}
	noCode := *r
	noCode.RemoteCloseCode = nil
	if ok, _ := assertions.HaveRemoteCloseCode().Match(&noCode); ok {
		t.Errorf("HaveRemoteCloseCode() matched a result without a remote code")
	}
}

func TestBadActual(t *testing.T) {
	for _, actual := range []any{nil, "3.1", (*report.Result)(nil), holder{}} {
		if _, err := assertions.Pass().Match(actual); err == nil {
			t.Errorf("Pass accepted %#v", actual)
		}
		if _, err := assertions.HaveRemoteCloseCode(1000).Match(actual); err == nil {
			t.Errorf("HaveRemoteCloseCode accepted %#v", actual)
		}
	}
}

func TestReceivedMessage(t *testing.T) {
	r := failedRSV(1)
	r.Received = append(r.Received, assertions.Pong([]byte{0xff, 0x00}), assertions.Timeout("t1"))
	m := assertions.HaveReceived(assertions.TextMessage("Hello, world!"), assertions.Pong([]byte{0xff}))
	if ok, _ := m.Match(r); ok {
		t.Fatal("matched different events")
	}
	msg := m.FailureMessage(r)
	for _, want := range []string{"the first difference is event 2", `pong 0xff00`, `timeout "t1"`, "[text message \"Hello, world!\", pong 0xff]"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

// TestWithGomega runs the matchers the way users do, through Expect.
func TestWithGomega(t *testing.T) {
	var failure string
	g := gomega.NewGomega(func(message string, _ ...int) { failure = message })
	r := failedRSV(2)
	g.Expect(r).To(assertions.HaveRemoteCloseCode(1002), "case %s", r.ID)
	for _, want := range []string{"case 3.1\nExpected", "to have the peer's close code one of", "1002"} {
		if !strings.Contains(failure, want) {
			t.Errorf("Expect failure lacks %q:\n%s", want, failure)
		}
	}
	failure = ""
	g.Expect(r).To(assertions.HaveBehavior("FAILED"))
	g.Expect(r).NotTo(assertions.Pass())
	if failure != "" {
		t.Errorf("unexpected failure: %s", failure)
	}
}

func TestEntryString(t *testing.T) {
	mask := [4]byte{1, 2, 3, 4}
	n := 1000
	for _, tc := range []struct {
		e    report.WireEntry
		want string
	}{
		{report.WireEntry(wirelog.RxOctetsEntry([]byte{0x81, 0})), "RX octets (2): 8100"},
		{report.WireEntry(wirelog.TxOctetsEntry([]byte{0x81}, true)), "TX octets (1) sync: 81"},
		{report.WireEntry(wirelog.RxFrameEntry(1, true, 0, &mask, []byte("hi"))), "RX frame TEXT fin rsv=0 masked len=2: hi"},
		{report.WireEntry(wirelog.TxFrameEntry(2, false, 3, nil, []byte("*"), &n, intp(1), false)), "TX frame BINARY rsv=3 len=1000 (a 1-octet pattern repeated) chop=1: *"},
		{report.WireEntry(wirelog.TxFrameEntry(11, true, 0, nil, nil, nil, nil, true)), "TX frame opcode-11 fin rsv=0 len=0 sync: "},
		{report.WireEntry(wirelog.ContinueEntry(wirelog.Continue, 1.5, strp("frame 2"))), "timer: go on in 1.5s (frame 2)"},
		{report.WireEntry(wirelog.ContinueEntry(wirelog.ContinueFired, 0, nil)), "timer fired: going on"},
		{report.WireEntry(wirelog.TimerEntry(wirelog.Kill, 1)), "timer: fail the connection in 1s"},
		{report.WireEntry(wirelog.TimerEntry(wirelog.KillFired, 0)), "timer fired: failing the connection"},
		{report.WireEntry(wirelog.TimerEntry(wirelog.CloseTimer, 0.5)), "timer: close in 500ms"},
		{report.WireEntry(wirelog.TimerEntry(wirelog.CloseFired, 0)), "timer fired: closing"},
		{report.WireEntry(wirelog.ModeEntry(false)), "wire log off"},
	} {
		if got := assertions.EntryString(tc.e); got != tc.want {
			t.Errorf("%s entry: got %q, want %q", tc.e.Kind, got, tc.want)
		}
	}
}

func TestEventString(t *testing.T) {
	long := strings.Repeat("*", 100)
	for _, tc := range []struct {
		e    report.Event
		want string
	}{
		{assertions.TextMessage("Hello"), `text message "Hello"`},
		{assertions.TextMessage("\xce\xba\xe1"), `text message 0xcebae1`},
		{assertions.TextMessage(long), fmt.Sprintf("text message %q (100 octets)", long[:48])},
		{assertions.BinaryMessage([]byte{0, 0xff}), "binary message 0x00ff (2 octets)"},
		{assertions.Pong(nil), `pong ""`},
		{assertions.Timeout("frame 1"), `timeout "frame 1"`},
	} {
		if got := assertions.EventString(tc.e); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
