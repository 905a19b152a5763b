package suite

import (
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/wsfuzz/autobahn/report"
)

// result is a minimal result of case id for agent.
func result(agent, id, behavior string) *report.Result {
	return &report.Result{Agent: agent, ID: id, Behavior: report.Verdict(behavior), BehaviorClose: "OK", Expected: map[string][]report.Event{},
		RxFrameStats: report.Stats{}, RxOctetStats: report.Stats{}, TxFrameStats: report.Stats{}, TxOctetStats: report.Stats{}}
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

// The spool keeps the pass policy a result was judged under, which the
// totals of index.html count by and JSON leaves out.
func TestSpoolKeepsThePolicy(t *testing.T) {
	dir := t.TempDir()
	res := result("g", "6.2.1", "NON-STRICT")
	res.Policy = report.Strict
	if err := spool(dir, RoleServer, res); err != nil {
		t.Fatal(err)
	}
	got, err := unspool(dir, Verdict{Case: "6.2.1", Role: RoleServer, Agent: "g", ReportDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got.Policy != report.Strict {
		t.Errorf("unspooled policy %v, want the strict one", got.Policy)
	}
}
