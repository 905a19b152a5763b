package suite

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/wsfuzz/autobahn/report"
)

// Autobahn reports are written once, at the end of the suite, by the process
// that runs ReportAfterSuite. Each spec leaves its result in a spool file
// under the report directory; the spec's Verdict entry, which Ginkgo gathers
// from every parallel process, names it.

// spoolDir is the spool's directory inside a report directory.
const spoolDir = ".autobahn-spool"

var (
	dirsMu sync.Mutex
	// dirs maps a report directory to the agents that write there.
	dirs = map[string]map[string]bool{}
)

// claimReportDir registers agent as a writer of dir and, for a new dir, the
// ReportAfterSuite that writes it. Two registrations of one agent name in
// one directory would overwrite each other's files.
func claimReportDir(dir, agent string) error {
	dirsMu.Lock()
	defer dirsMu.Unlock()
	name := report.CleanAgent(agent)
	if dirs[dir] == nil {
		dirs[dir] = map[string]bool{}
		ginkgo.ReportAfterSuite("autobahn reports in "+dir, func(r ginkgo.Report) {
			if err := writeReports(dir, r); err != nil {
				ginkgo.Fail(err.Error())
			}
		})
	}
	if dirs[dir][name] {
		return fmt.Errorf("suite: report directory %s already has an agent %q; give each registration its own agent name or directory", dir, name)
	}
	dirs[dir][name] = true
	return nil
}

func spoolFile(dir, role string, res *report.Result) string {
	return filepath.Join(dir, spoolDir, role+"_"+report.CaseFile(res.Agent, res.ID, "gob"))
}

// spooled is a result as spooled: its JSON form shows event payloads as
// display text and leaves out the pass policy, so they travel beside it.
type spooled struct {
	Result   *report.Result
	Received [][]byte
	Expected map[string][][]byte
	Policy   report.Policy
}

func payloads(es []report.Event) [][]byte {
	out := make([][]byte, len(es))
	for i, e := range es {
		out[i] = e.Payload
	}
	return out
}

func restorePayloads(es []report.Event, ps [][]byte) {
	for i := range min(len(es), len(ps)) {
		es[i].Payload = ps[i]
	}
}

// spool saves a result for the report.
func spool(dir, role string, res *report.Result) error {
	path := spoolFile(dir, role, res)
	sp := spooled{Result: res, Received: payloads(res.Received), Expected: map[string][][]byte{}, Policy: res.Policy}
	for k, es := range res.Expected {
		sp.Expected[k] = payloads(es)
	}
	b, err := json.Marshal(sp)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o755)
	}
	if err == nil {
		err = os.WriteFile(path, b, 0o644)
	}
	if err != nil {
		return fmt.Errorf("suite: report spool for case %s: %w", res.ID, err)
	}
	return nil
}

// writeReports gathers the results of the specs that reported to dir and
// merges them into the Autobahn report there: a run of some cases (a label
// filter, a focus) replaces those cases and keeps the others.
func writeReports(dir string, suiteReport ginkgo.Report) error {
	var errs []error
	// a spec run more than once (FlakeAttempts) has an entry per attempt
	verdicts := map[string]Verdict{}
	for _, sr := range suiteReport.SpecReports {
		for _, e := range sr.ReportEntries {
			if e.Name != EntryName {
				continue
			}
			v, err := entryVerdict(e.GetRawValue())
			switch {
			case err != nil:
				errs = append(errs, err)
			case v.ReportDir == dir:
				verdicts[v.Role+"\x00"+v.Agent+"\x00"+v.Case] = v
			}
		}
	}
	var results []*report.Result
	for _, v := range verdicts {
		res, err := unspool(dir, v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res.Baseline, res.Scheme = v.Baseline, v.Scheme
		results = append(results, res)
	}
	if len(results) > 0 {
		if err := report.Merge(dir, results); err != nil {
			errs = append(errs, err)
		}
	}
	os.Remove(filepath.Join(dir, spoolDir)) // only if empty: leftovers of broken runs stay
	return errors.Join(errs...)
}

// entryVerdict reads a Verdict entry: the value itself in the process that
// added it, decoded JSON when it came from another parallel process.
func entryVerdict(raw any) (Verdict, error) {
	var v Verdict
	b, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		return v, fmt.Errorf("suite: report entry %q: %w", EntryName, err)
	}
	return v, nil
}

// unspool reads and removes the spool file of a verdict.
func unspool(dir string, v Verdict) (*report.Result, error) {
	path := spoolFile(dir, v.Role, &report.Result{Agent: v.Agent, ID: v.Case})
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("suite: report of case %s: %w", v.Case, err)
	}
	os.Remove(path)
	var sp spooled
	if err := json.Unmarshal(b, &sp); err != nil || sp.Result == nil {
		return nil, fmt.Errorf("suite: report of case %s: bad spool file %s: %v", v.Case, path, err)
	}
	sp.Result.Policy = sp.Policy
	restorePayloads(sp.Result.Received, sp.Received)
	for k, es := range sp.Result.Expected {
		restorePayloads(es, sp.Expected[k])
	}
	return sp.Result, nil
}
