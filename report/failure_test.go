package report

import "testing"

// Failure is the head, then Why's lines indented; a case that passes the
// policy (failed against a stale baseline) shows its notes, if any.
func TestFailure(t *testing.T) {
	failed := &Result{Behavior: "FAILED", Result: "Actual events differ from any expected.", BehaviorClose: "OK",
		ExpectedClose: ExpectedClose{Set: true}, Duration: 5, Notes: []string{"the client returned an error: boom"}}
	want := "head:\n" +
		"    behavior FAILED: Actual events differ from any expected. (observed []; expected none (the case is judged otherwise))\n" +
		"    observed: the peer dropped TCP 5 ms after the opening handshake (0 frames from the peer, 0 frames from the fuzzer); extensions none, subprotocol none\n" +
		"    the client returned an error: boom"
	if got := Failure(failed, Lenient, "head:"); got != want {
		t.Errorf("Failure =\n%s\nwant\n%s", got, want)
	}
	passes := &Result{Behavior: "OK", BehaviorClose: "OK", Notes: []string{"warning: x"}}
	if got := Failure(passes, Lenient, "stale"); got != "stale\n    warning: x" {
		t.Errorf("Failure of a passing case = %q", got)
	}
	passes.Notes = nil
	if got := Failure(passes, Lenient, "stale"); got != "stale" {
		t.Errorf("Failure of a passing case without notes = %q", got)
	}
}
