package spec

import (
	"strings"
	"testing"
)

// A fuzzing client's "parallel" is a whole number of at least 1; a fuzzing
// server's spec has no such field.
func TestParseParallel(t *testing.T) {
	s, err := Parse([]byte(`{"parallel": 6}`), FuzzingClient)
	if err != nil || s.Parallel != 6 {
		t.Fatalf("parallel %d, %v", s.Parallel, err)
	}
	if s, err := Parse([]byte(`{}`), FuzzingClient); err != nil || s.Parallel != 0 {
		t.Fatalf("no parallel: %d, %v", s.Parallel, err)
	}
	for in, want := range map[string]string{
		`{"parallel": 0}`:   `field "parallel": want a whole number of at least 1, got 0`,
		`{"parallel": -2}`:  `field "parallel": want a whole number of at least 1, got -2`,
		`{"parallel": 2.5}`: `field "parallel": want a whole number of at least 1, got a number`,
		`{"parallel": "4"}`: `field "parallel": want a whole number of at least 1, got a string`,
	} {
		if _, err := Parse([]byte(in), FuzzingClient); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	if _, err := Parse([]byte(`{"url": "ws://127.0.0.1:9001", "parallel": 2}`), FuzzingServer); err == nil || !strings.Contains(err.Error(), `unknown field "parallel"`) {
		t.Errorf("fuzzingserver with parallel: %v", err)
	}
}
