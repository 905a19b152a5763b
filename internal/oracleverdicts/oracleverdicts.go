// Package oracleverdicts reads the real fuzzer's verdicts from the
// repository's testdata/oracle.tsv (written by internal/oracletable), for
// tests that need the expected verdict of a case.
package oracleverdicts

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Path is testdata/oracle.tsv of this source tree.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "oracle.tsv")
}

// Of are the behavior and behaviorClose of every case of the reference
// run (such as "fuzzingclient-gorilla"), by case id.
func Of(run string) (map[string][2]string, error) {
	f, err := os.Open(Path())
	if err != nil {
		return nil, fmt.Errorf("oracle: %w", err)
	}
	defer f.Close()
	out := map[string][2]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fs := strings.Split(sc.Text(), "\t"); len(fs) >= 4 && fs[0] == run {
			out[fs[1]] = [2]string{fs[2], fs[3]}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("oracle: %s: %w", Path(), err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("oracle: no run %q in %s", run, Path())
	}
	return out, nil
}
