package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// caseOf is the sample result as case id of agent, with a behavior.
func caseOf(agent, id, behavior string) *Result {
	r := sample()
	r.Agent, r.ID, r.Behavior = agent, id, Verdict(behavior)
	return r
}

// indexed lists a report's index as "agent id behavior" lines, sorted.
func indexed(t *testing.T, dir string) []string {
	t.Helper()
	idx, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for agent, byID := range idx {
		for id, e := range byID {
			out = append(out, agent+" "+id+" "+string(e.Behavior))
			if _, err := os.Stat(filepath.Join(dir, e.ReportFile)); err != nil {
				t.Errorf("index entry of %s %s: %v", agent, id, err)
			}
		}
	}
	slices.Sort(out)
	return out
}

// A report merged into an existing one replaces the cases it has and keeps
// the others, of every agent, with their pages untouched; both indexes list
// them all, and no case file is left out of the index.
func TestMergeKeepsTheCasesNotRun(t *testing.T) {
	dir := t.TempDir()
	if err := Merge(dir, []*Result{caseOf("a", "1.1.1", "OK"), caseOf("a", "1.1.2", "OK"), caseOf("b", "1.1.1", "OK")}); err != nil {
		t.Fatal(err)
	}
	kept := filepath.Join(dir, CaseFile("a", "1.1.1", "json"))
	before, err := os.ReadFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	if err := Merge(dir, []*Result{caseOf("a", "1.1.2", "FAILED"), caseOf("a", "2.1", "OK")}); err != nil {
		t.Fatal(err)
	}
	want := []string{"a 1.1.1 OK", "a 1.1.2 FAILED", "a 2.1 OK", "b 1.1.1 OK"}
	if got := indexed(t, dir); !slices.Equal(got, want) {
		t.Errorf("index %q, want %q", got, want)
	}
	if after, _ := os.ReadFile(kept); !bytes.Equal(before, after) {
		t.Error("the page of a case not run again was rewritten")
	}
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{CaseFile("a", "1.1.1", "html"), CaseFile("a", "2.1", "html"), CaseFile("b", "1.1.1", "html")} {
		if !strings.Contains(string(html), f) {
			t.Errorf("index.html does not link %s", f)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2+2*len(want) {
		t.Errorf("%d files, want the two indexes and a JSON and an HTML page for each of %d cases", len(entries), len(want))
	}
}

// A case of the old report that cannot be read is dropped from the index,
// with an error naming it; the rest is written.
func TestMergeNamesWhatItCouldNotKeep(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, []*Result{caseOf("a", "1.1.1", "OK"), caseOf("a", "1.1.2", "OK")}); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, CaseFile("a", "1.1.1", "json")))
	err := Merge(dir, []*Result{caseOf("a", "2.1", "OK")})
	if err == nil || !strings.Contains(err.Error(), "case 1.1.1 of a left out") {
		t.Errorf("error %v, want one naming case 1.1.1", err)
	}
	if got, want := indexed(t, dir), []string{"a 1.1.2 OK", "a 2.1 OK"}; !slices.Equal(got, want) {
		t.Errorf("index %q, want %q", got, want)
	}
}
