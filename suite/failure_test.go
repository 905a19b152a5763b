package suite

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/wirelog"
	"github.com/wsfuzz/autobahn/report"
)

// The failure message says which part failed and why, gives the commands
// that re-run exactly this case (quoted for the shell), and leaves the wire
// log to its report entry.
func TestFailureMessage(t *testing.T) {
	r := newServer(t, "it's mine", Handler(gorillaServer))
	hello := report.Event{Kind: "message", Payload: []byte("Hello")}
	res := &report.Result{ID: "6.3.1", Behavior: "FAILED", Result: "Actual events match at least one expected.",
		BehaviorClose: "FAILED", ResultClose: "The connection was failed by the wrong endpoint", ClosedByMe: true,
		Expected: map[string][]report.Event{"OK": {hello}}, Received: []report.Event{hello},
		Wirelog: []report.WireEntry{report.WireEntry(wirelog.TimerEntry(wirelog.Kill, 1)), report.WireEntry(wirelog.TimerEntry(wirelog.KillFired, 0))}}
	m := failureMessage(r, res, "each case's own chop sizes", "")
	for _, want := range []string{
		`case 6.3.1 for server "it's mine" failed under the default policy`,
		"\n    behaviorClose FAILED: The connection was failed by the wrong endpoint",
		"\n    behavior FAILED because of the close: the events matched",
		`re-run this case: ginkgo --label-filter='case:6.3.1 && server && agent:it'\''s mine' --seed=`,
		`or: go test -ginkgo.label-filter='case:6.3.1 && server && agent:it'\''s mine' -ginkgo.seed=`,
		"chopping: each case's own chop sizes",
		`wire log:        2 entries, in the report entry "autobahn wire log"`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("message lacks %q:\n%s", want, m)
		}
	}
	if strings.Contains(m, "timer: fail the connection") {
		t.Errorf("the message shows the wire log:\n%s", m)
	}
}

func TestOneLine(t *testing.T) {
	err := fmt.Errorf("case 1.1.1: %w", errors.Join(errors.New("first"), errors.New("second\n  indented")))
	if got, want := oneLine(err), "case 1.1.1: first; second; indented"; got != want {
		t.Errorf("oneLine = %q, want %q", got, want)
	}
}
