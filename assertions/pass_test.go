package assertions

import (
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/report"
)

// Pass's failure message ends with why the result does not pass.
func TestPassFailureMessageSaysWhy(t *testing.T) {
	hello := TextMessage("Hello")
	r := &report.Result{ID: "6.3.1", Behavior: "FAILED", Result: "Actual events match at least one expected.",
		BehaviorClose: "FAILED", ResultClose: "The connection was failed by the wrong endpoint",
		Expected: map[string][]report.Event{"OK": {hello}}, Received: []report.Event{hello}, ClosedByMe: true}
	m := Pass().FailureMessage(r)
	if !strings.Contains(m, "which it does not:\n    behaviorClose FAILED") || !strings.Contains(m, "behavior FAILED because of the close") {
		t.Errorf("message:\n%s", m)
	}
}
