package container

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
)

// The expected verdicts come from the real fuzzer's runs on gorilla's echo
// peers, through the project's compact table.
const oracleFile = "../testdata/oracle.tsv"

// Oracle runs: the fuzzer as client tested gorilla's server, as server
// gorilla's client.
const (
	oracleServerRun = "fuzzingclient-gorilla"
	oracleClientRun = "fuzzingserver-gorilla"
)

// casesEnv selects the cases of the container tests: comma-separated
// patterns. The nightly job widens it; the default keeps the local run
// short and includes cases gorilla fails (6.3.x, no UTF-8 validation).
const (
	casesEnv     = "AUTOBAHN_CASES"
	defaultCases = "1.*,2.*,3.*,6.3.*"
)

// oracleVerdict is one line of the table.
type oracleVerdict struct {
	Behavior, BehaviorClose report.Verdict
	Flaky                   bool
}

// readOracle reads the verdicts of one run, by case id.
func readOracle(run string) (map[string]oracleVerdict, error) {
	f, err := os.Open(oracleFile)
	if err != nil {
		return nil, fmt.Errorf("oracle table: %w", err)
	}
	defer f.Close()
	out := map[string]oracleVerdict{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("oracle table: bad line %q", line)
		}
		if f[0] == run {
			out[f[1]] = oracleVerdict{Behavior: report.Verdict(f[2]), BehaviorClose: report.Verdict(f[3]), Flaky: f[4] == "true"}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("oracle table: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("oracle table: no run %s", run)
	}
	return out, nil
}

// oracleSelection is the case selection of a test against run: the
// patterns of $AUTOBAHN_CASES, without the cases whose verdict varied
// between real runs or that the run lacks, and the verdicts of the cases
// left, by id.
func oracleSelection(run string) (patterns, exclude []string, want map[string]oracleVerdict, err error) {
	verdicts, err := readOracle(run)
	if err != nil {
		return nil, nil, nil, err
	}
	patterns = strings.Split(defaultCases, ",")
	if v := strings.TrimSpace(os.Getenv(casesEnv)); v != "" {
		patterns = strings.Split(v, ",")
	}
	ids, err := cases.Resolve(patterns, nil)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", casesEnv, err)
	}
	want = map[string]oracleVerdict{}
	for _, id := range ids {
		v, ok := verdicts[id]
		if !ok || v.Flaky {
			exclude = append(exclude, id)
			continue
		}
		want[id] = v
	}
	if len(want) == 0 {
		return nil, nil, nil, fmt.Errorf("%s=%q selects no case with a steady verdict in %s", casesEnv, strings.Join(patterns, ","), run)
	}
	return patterns, exclude, want, nil
}
