package main

import (
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// A failed case's note says why under the policy, with what was observed,
// as the failure messages of the suite and autobahntest do.
func TestFailureNoteSaysWhy(t *testing.T) {
	out, code := wstest(t, serve(t, echopeer.GorillaServerAsBinary), `"1.1.1"`, t.TempDir())
	for _, want := range []string{
		"failed gorilla: case 1.1.1: behavior FAILED, behaviorClose ",
		"\n    behavior FAILED: ",
		"\n    observed: the ",
	} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("exit %d, the output lacks %q:\n%s", code, want, out)
		}
	}
}
