package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/internal/caseid"
)

// indexPage is what the index template shows: one row per case id found in
// the results (with category and subcategory rows between them), one pair of
// cells per agent, then the descriptions of all those cases.
type indexPage struct {
	Generated string
	Agents    []string
	Totals    []agentTotals
	Columns   int
	Rows      []indexRow
	Cases     []caseText
}

// indexRow is a category row (Category set), a subcategory row (Subcategory
// set) or a case row (Case set).
type indexRow struct {
	Category    string
	Subcategory string
	Case        *caseRow
}

// caseRow is the row of one case id: a cell pair per agent.
type caseRow struct {
	ID     string
	Anchor string
	Cells  []resultCell
}

// resultCell is the outcome of a case for one agent. Span is set for the
// single wide cell of an unimplemented or missing case; otherwise the cell
// links to the case page and Close* describe the close behaviour cell.
// Fails says why a case whose behavior looks like a pass does not pass
// under its policy.
type resultCell struct {
	Span       bool
	Class      string
	Text       string
	File       string
	Detail     string
	Fails      string
	Mark       string
	CloseClass string
	CloseText  string
}

// agentTotals are the counts of one agent's cells by verdict, in the
// order of verdictOrder, its results by what they mean under their pass
// policy, in the order of outcomeOrder, then the counts of baseline marks.
// Connection shows the schemes the agent's cases ran over ("" when
// unknown).
type agentTotals struct {
	Agent      string
	Connection string
	Counts     []int
	Outcomes   []int
	Marks      []markCount
}

// markCount is how many of an agent's cases got a baseline mark.
type markCount struct {
	Mark string
	N    int
}

// verdictOrder are the verdict cells of the totals, by class and text.
var verdictOrder = []struct{ Class, Text string }{
	{"case_ok", "Pass"}, {"case_non_strict", "Non-Strict"}, {"case_failed", "Fail"}, {"case_no_close", "No Close"},
	{"case_info", "Info"}, {"case_unimplemented", "Unimplemented"}, {"case_missing", "Missing"},
}

// Verdicts are the columns of the totals table counted by verdict.
func (p *indexPage) Verdicts() []struct{ Class, Text string } { return verdictOrder }

// Outcomes of a result under its pass policy, the columns of the totals
// table counted by policy: as the entry points count them in their
// summary lines.
const (
	outcomePassed = iota
	outcomeFailed
	outcomeFailedAsExpected
	outcomeInformational
	outcomeUnimplemented
)

// outcomeOrder are the headings of the totals counted by pass policy.
var outcomeOrder = []string{"Passed", "Failed", "Failed as expected", "Informational", "Unimplemented"}

// Outcomes are the columns of the totals table counted by pass policy.
func (p *indexPage) Outcomes() []string { return outcomeOrder }

// outcomeOf is what r means under its pass policy and baseline mark (the
// marks of harness.Mark): a baseline's expected or recorded failure fails
// as expected, a stale entry or a regression fails, a flaky case passes;
// without a mark the policy decides, and skips UNIMPLEMENTED under
// Lenient.
func outcomeOf(r *Result) int {
	switch r.Baseline {
	case "expected failure", "recorded":
		return outcomeFailedAsExpected
	case "stale baseline", "regression":
		return outcomeFailed
	}
	switch {
	case r.Policy.Skips(r):
		return outcomeUnimplemented
	case r.Baseline != "flaky" && !r.Policy.Accepts(r):
		return outcomeFailed
	case r.Behavior == Informational:
		return outcomeInformational
	}
	return outcomePassed
}

// caseText is the description and expectation of a case, listed below the
// table.
type caseText struct {
	ID          string
	Anchor      string
	Description string
	Expectation string
}

// generatedLayout is how the index dates itself (UTC, milliseconds).
const generatedLayout = "2006-01-02T15:04:05.000Z"

// caseAnchor is the name of the anchor of a case's description in the index.
func caseAnchor(id string) string { return "case_desc_" + strings.ReplaceAll(id, ".", "_") }

// newIndexPage lays out the index of results, generated at now.
func newIndexPage(results []*Result, now time.Time) (*indexPage, error) {
	byAgent := map[string]map[string]*Result{}
	first := map[string]*Result{}
	for i, r := range results {
		if r == nil {
			return nil, fmt.Errorf("result %d is nil", i)
		}
		if byAgent[r.Agent] == nil {
			byAgent[r.Agent] = map[string]*Result{}
		}
		byAgent[r.Agent][r.ID] = r
		if first[r.ID] == nil {
			first[r.ID] = r
		}
	}
	p := &indexPage{Generated: now.UTC().Format(generatedLayout)}
	for a := range byAgent {
		p.Agents = append(p.Agents, a)
	}
	slices.Sort(p.Agents)
	p.Columns = 2*len(p.Agents) + 1
	ids := make([]string, 0, len(first))
	for id := range first {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, caseid.Compare)

	// As in the real fuzzer, a category row (with the agent names) starts
	// every category and every named subcategory; a named subcategory then
	// gets its own row.
	lastCat, lastSub := "", ""
	for _, id := range ids {
		catNum, cat := category(id)
		subNum, sub := subcategory(id)
		if cat != lastCat || sub != lastSub {
			p.Rows = append(p.Rows, indexRow{Category: catNum + " " + cat})
			lastCat, lastSub = cat, ""
		}
		if sub != lastSub {
			p.Rows = append(p.Rows, indexRow{Subcategory: subNum + " " + sub})
			lastSub = sub
		}
		row := &caseRow{ID: id, Anchor: caseAnchor(id)}
		for _, a := range p.Agents {
			row.Cells = append(row.Cells, newResultCell(byAgent[a][id]))
		}
		p.Rows = append(p.Rows, indexRow{Case: row})
		p.Cases = append(p.Cases, caseText{ID: id, Anchor: row.Anchor,
			Description: first[id].Description, Expectation: first[id].Expectation})
	}
	p.Totals = totals(p.Agents, p.Rows)
	for i, a := range p.Agents {
		p.Totals[i].Connection = agentConnection(byAgent[a])
		p.Totals[i].Outcomes = make([]int, len(outcomeOrder))
		for _, r := range byAgent[a] {
			p.Totals[i].Outcomes[outcomeOf(r)]++
		}
	}
	return p, nil
}

// agentConnection shows the known schemes of an agent's results, in order
// ("ws://, wss:// (TLS)" when it was tested both ways).
func agentConnection(results map[string]*Result) string {
	var schemes []string
	for _, r := range results {
		if r.Scheme != "" && !slices.Contains(schemes, r.Scheme) {
			schemes = append(schemes, r.Scheme)
		}
	}
	slices.Sort(schemes)
	for i, s := range schemes {
		schemes[i] = connectionText(s)
	}
	return strings.Join(schemes, ", ")
}

// totals counts the cells of every agent by verdict and baseline mark.
func totals(agents []string, rows []indexRow) []agentTotals {
	out := make([]agentTotals, len(agents))
	for i, a := range agents {
		out[i] = agentTotals{Agent: a, Counts: make([]int, len(verdictOrder))}
		marks := map[string]int{}
		for _, row := range rows {
			if row.Case == nil {
				continue
			}
			c := row.Case.Cells[i]
			for k, v := range verdictOrder {
				if v.Class == c.Class {
					out[i].Counts[k]++
				}
			}
			if c.Mark != "" {
				marks[c.Mark]++
			}
		}
		names := make([]string, 0, len(marks))
		for m := range marks {
			names = append(names, m)
		}
		slices.Sort(names)
		for _, m := range names {
			out[i].Marks = append(out[i].Marks, markCount{m, marks[m]})
		}
	}
	return out
}

// passingLook are the classes of behavior cells that read as a pass.
var passingLook = map[string]bool{"case_ok": true, "case_non_strict": true, "case_info": true}

// newResultCell formats the index cells of one result (nil when the agent
// has no result for the case).
func newResultCell(r *Result) resultCell {
	switch {
	case r == nil:
		return resultCell{Span: true, Class: "case_missing", Text: "Missing"}
	case r.Behavior == Unimplemented:
		return resultCell{Span: true, Class: "case_unimplemented", Text: "Unimplemented", Mark: r.Baseline}
	}
	c := resultCell{File: CaseFile(r.Agent, r.ID, "html"), Mark: r.Baseline}
	switch r.Behavior {
	case OK:
		c.Class, c.Text = "case_ok", "Pass"
	case NonStrict:
		c.Class, c.Text = "case_non_strict", "Non-Strict"
	case NoClose:
		c.Class, c.Text = "case_no_close", "No Close"
	case Informational:
		c.Class, c.Text = "case_info", "Info"
	default:
		c.Class, c.Text = "case_failed", "Fail"
	}
	code := pyOptInt(r.RemoteCloseCode)
	switch r.BehaviorClose {
	case OK:
		c.CloseClass, c.CloseText = "case_ok", code
	case FailedByClient:
		c.CloseClass, c.CloseText = "case_almost", string(FailedByClient)+" "+code
	case WrongCode:
		c.CloseClass, c.CloseText = "case_non_strict", string(WrongCode)+" "+code
	case Unclean:
		c.CloseClass, c.CloseText = "case_failed", "Unclean"
	case Informational:
		c.CloseClass, c.CloseText = "case_info", code
	default:
		c.CloseClass, c.CloseText = "case_failed", "Fail"
	}
	if passingLook[c.Class] && !closePasses(r.BehaviorClose) {
		c.Fails = "fails: behaviorClose " + string(r.BehaviorClose)
	}
	if r.ReportTime {
		c.Detail = fmt.Sprintf("%d ms", r.Duration)
	}
	if r.ReportCompressionRatio && r.TrafficStats != nil {
		c.Detail += fmt.Sprintf(" [%s/%s]", ratio(r.TrafficStats.IncomingCompressionRatio),
			ratio(r.TrafficStats.OutgoingCompressionRatio))
	}
	return c
}

// ratio formats a compression ratio with three decimals, "-" when unknown.
func ratio(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *v)
}
