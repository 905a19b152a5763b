package main

import (
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/report"
)

// The summary counts verdicts in words, not as a Go map, and says why the
// cases that do not pass fail where the cause is known.
func TestSummary(t *testing.T) {
	var rs []*report.Result
	for _, v := range []struct{ id, behavior, close string }{
		{"1.1.1", "OK", "OK"}, {"1.1.2", "OK", "OK"}, {"6.3.1", "FAILED", "FAILED"}, {"7.1.1", "FAILED", "OK"},
		{"12.1.1", "UNIMPLEMENTED", "OK"}, {"6.2.1", "NON-STRICT", "OK"},
	} {
		rs = append(rs, &report.Result{ID: v.id, Behavior: report.Verdict(v.behavior), BehaviorClose: report.Verdict(v.close)})
	}
	var b strings.Builder
	summary(&b, "gorilla server", rs)
	out := b.String()
	for _, want := range []string{
		"gorilla server: 6 cases\n     2  OK / OK\n     1  FAILED / FAILED\n",
		"UNIMPLEMENTED: 1 compression cases (12.x, 13.x)",
		"not passing: 1 cases of 6.x (6.3.1): gorilla leaves the UTF-8 check of text messages to the application",
		"not passing: 1 cases of 7.x (7.1.1): see the reports",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "map[") {
		t.Errorf("summary prints a Go map:\n%s", out)
	}
}
