package suite

import (
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/wsfuzz/autobahn/chop"
	"github.com/wsfuzz/autobahn/report"
)

// result is a minimal result of case id for agent.
func result(agent, id, behavior string) *report.Result {
	return &report.Result{Agent: agent, ID: id, Behavior: report.Verdict(behavior), BehaviorClose: "OK", Expected: map[string][]report.Event{},
		RxFrameStats: chop.Stats{}, RxOctetStats: chop.Stats{}, TxFrameStats: chop.Stats{}, TxOctetStats: chop.Stats{}}
}

// A filtered run merges into the report of an earlier run: the cases it ran
// are replaced, the others stay in index.json beside their files.
func TestFilteredRunMergesIntoTheReport(t *testing.T) {
	dir := t.TempDir()
	if err := report.Write(dir, []*report.Result{result("g", "1.1.1", "OK"), result("g", "1.1.2", "OK")}); err != nil {
		t.Fatal(err)
	}
	again := result("g", "1.1.2", "FAILED")
	if err := spool(dir, RoleServer, again); err != nil {
		t.Fatal(err)
	}
	entry := types.ReportEntry{Name: EntryName, Value: types.WrapEntryValue(Verdict{Case: "1.1.2", Role: RoleServer, Agent: "g", ReportDir: dir})}
	if err := writeReports(dir, types.Report{SpecReports: types.SpecReports{{ReportEntries: types.ReportEntries{entry}}}}); err != nil {
		t.Fatal(err)
	}
	idx, err := report.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx["g"]) != 2 || idx["g"]["1.1.1"].Behavior != "OK" || idx["g"]["1.1.2"].Behavior != "FAILED" {
		t.Errorf("index %+v, want 1.1.1 kept and 1.1.2 replaced", idx)
	}
}
