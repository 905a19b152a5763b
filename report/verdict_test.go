package report

import (
	"testing"
)

// TestPolicyAccepts checks the pass rule against the table of the README.
func TestPolicyAccepts(t *testing.T) {
	for _, tc := range []struct {
		behavior, behaviorClose string
		lenient, strict         bool
	}{
		{"OK", "OK", true, true},
		{"NON-STRICT", "OK", true, false},
		{"INFORMATIONAL", "INFORMATIONAL", true, true},
		{"OK", "INFORMATIONAL", true, true},
		{"UNIMPLEMENTED", "OK", false, false},
		{"FAILED", "OK", false, false},
		{"NO_CLOSE", "OK", false, false},
		{"OK", "WRONG CODE", false, false},
		{"OK", "UNCLEAN", false, false},
		{"OK", "FAILED BY CLIENT", false, false},
		{"NON-STRICT", "FAILED", false, false},
	} {
		r := &Result{Behavior: Verdict(tc.behavior), BehaviorClose: Verdict(tc.behaviorClose)}
		if got := Lenient.Accepts(r); got != tc.lenient {
			t.Errorf("Lenient %s/%s: %v, want %v", tc.behavior, tc.behaviorClose, got, tc.lenient)
		}
		if got := r.Passed(); got != tc.lenient {
			t.Errorf("Passed %s/%s: %v, want %v", tc.behavior, tc.behaviorClose, got, tc.lenient)
		}
		if got := Strict.Accepts(r); got != tc.strict {
			t.Errorf("Strict %s/%s: %v, want %v", tc.behavior, tc.behaviorClose, got, tc.strict)
		}
	}
}
