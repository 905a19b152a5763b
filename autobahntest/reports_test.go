package autobahntest_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/wsfuzz/autobahn/autobahntest"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/report"
)

// earlier is a result of case id for agent as an earlier run left it.
func earlier(agent, id string) *report.Result {
	return &report.Result{Agent: agent, ID: id, Behavior: report.OK, BehaviorClose: report.OK,
		Expected: map[string][]report.Event{}, RxFrameStats: report.Stats{}, RxOctetStats: report.Stats{},
		TxFrameStats: report.Stats{}, TxOctetStats: report.Stats{}}
}

// TestReportMerges checks that a run of some cases merges into the report
// an earlier run left in the directory: its cases replace theirs, the
// others stay, other agents' among them.
func TestReportMerges(t *testing.T) {
	dir := t.TempDir()
	old := []*report.Result{earlier("gorilla", "1.1.1"), earlier("gorilla", "1.1.2"), earlier("other", "2.1")}
	old[0].Duration = 987654 // this run replaces it
	if err := report.Write(dir, old); err != nil {
		t.Fatal(err)
	}
	t.Run("run", func(t *testing.T) {
		autobahntest.Client(t, "gorilla", echopeer.GorillaClient, autobahntest.Cases("1.1.1"), autobahntest.ReportDir(dir))
	})
	idx, err := report.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(idx["gorilla"])); !slices.Equal(got, []string{"1.1.1", "1.1.2"}) {
		t.Errorf("index.json, agent gorilla: cases %q, want 1.1.1 and 1.1.2", got)
	}
	if got := slices.Sorted(maps.Keys(idx["other"])); !slices.Equal(got, []string{"2.1"}) {
		t.Errorf("index.json, agent other: cases %q, want 2.1", got)
	}
	if d := idx["gorilla"]["1.1.1"].Duration; d == 987654 {
		t.Errorf("case 1.1.1 kept the earlier run's result")
	}
}
