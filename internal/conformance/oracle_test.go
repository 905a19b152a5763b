package conformance

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// verdict is what the real fuzzer gave for one case.
type verdict struct {
	behavior, behaviorClose string
	flaky                   bool
}

// loadOracle reads testdata/oracle.tsv: run → case id → verdict.
func loadOracle(t testing.TB) map[string]map[string]verdict {
	t.Helper()
	f, err := os.Open("../../testdata/oracle.tsv")
	if err != nil {
		t.Fatalf("oracle table: %v", err)
	}
	defer f.Close()
	out := map[string]map[string]verdict{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) != 5 {
			t.Fatalf("oracle table: bad line %q", line)
		}
		if out[p[0]] == nil {
			out[p[0]] = map[string]verdict{}
		}
		out[p[0]][p[1]] = verdict{p[2], p[3], p[4] == "true"}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
