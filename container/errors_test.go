package container

import (
	"errors"
	"strings"
	"testing"
)

// A RunError is one line of what failed, then the container's last lines.
func TestRunErrorText(t *testing.T) {
	out := strings.Repeat("noise\n", 30) + "Traceback (most recent call last):\nValueError: x\n"
	e := &RunError{Image: "img:1", Mode: "fuzzingserver",
		Err: errors.Join(errors.New("/updateReports: timeout"), errors.New("copy: no report\n  (details)")), Output: out}
	lines := strings.Split(e.Error(), "\n")
	want := "container: img:1 in fuzzingserver mode: /updateReports: timeout; copy: no report; (details)"
	if lines[0] != want {
		t.Errorf("first line %q\nwant       %q", lines[0], want)
	}
	if lines[1] != "last output of the container:" || lines[len(lines)-1] != "ValueError: x" ||
		len(lines) != 2+outputLines {
		t.Errorf("the output part is not the last %d lines:\n%s", outputLines, e.Error())
	}
	if !errors.Is(e, e.Err) {
		t.Error("errors.Is does not see the failure")
	}
}
