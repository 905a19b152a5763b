package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wsfuzz/autobahn/report"
)

// A run into an outdir that holds an earlier report does as the real
// wstest: index.json and index.html list the cases of this run only, and
// the per-case files of the earlier run stay beside them.
func TestOutDirIsNotMerged(t *testing.T) {
	url := echoServer(t)
	out := t.TempDir()
	for _, cases := range []string{`["1.1.1", "1.1.2"]`, `["1.1.1"]`} {
		spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "g", "url": "`+url+`"}], "cases": `+cases+`}`)
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec}, &stdout, io.Discard); err != nil {
			t.Fatalf("run %s: %v\n%s", cases, err, stdout.String())
		}
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(idx["g"])); !slices.Equal(got, []string{"1.1.1"}) {
		t.Errorf("index.json lists %q, want the second run's 1.1.1 only", got)
	}
	for _, name := range []string{"g_case_1_1_2.json", "g_case_1_1_2.html"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("the first run's %s: %v", name, err)
		}
	}
}
