package report

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// totalsRows returns the text of each cell of each row of the totals table.
func totalsRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	var rows [][]string
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode && n.Data == "table" {
			in = attr(n, "class") == "totals"
		}
		if in && n.Type == html.ElementNode && n.Data == "tr" {
			var row []string
			for td := n.FirstChild; td != nil; td = td.NextSibling {
				if td.Type == html.ElementNode {
					row = append(row, nodeText(td))
				}
			}
			rows = append(rows, row)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(parseHTML(t, b), false)
	return rows
}

// TestIndexTotalsAndMarks checks the totals per verdict and agent at the
// top of the index, and the baseline marks beside the verdicts.
func TestIndexTotalsAndMarks(t *testing.T) {
	mark := func(r *Result, m string) *Result { r.Baseline = m; return r }
	results := []*Result{
		indexResult("alpha", "1.1.1", "OK", "OK", intp(1000)),
		mark(indexResult("alpha", "1.1.2", "OK", "OK", intp(1000)), "stale baseline"),
		mark(indexResult("alpha", "6.3.1", "FAILED", "OK", intp(1007)), "expected failure"),
		mark(indexResult("alpha", "6.3.2", "FAILED", "OK", intp(1007)), "expected failure"),
		mark(indexResult("alpha", "6.4.1", "NON-STRICT", "OK", intp(1000)), "flaky"),
		indexResult("alpha", "2.9", "UNIMPLEMENTED", "UNIMPLEMENTED", nil),
		indexResult("beta", "1.1.1", "INFORMATIONAL", "INFORMATIONAL", nil),
		mark(indexResult("beta", "6.3.1", "NO_CLOSE", "UNCLEAN", nil), "regression"),
	}
	b, err := IndexHTML(results)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Agent", "Pass", "Non-Strict", "Fail", "No Close", "Info", "Unimplemented", "Missing",
			"Passed", "Failed", "Failed as expected", "Informational", "Unimplemented", "Baseline"},
		{"alpha", "2", "1", "2", "0", "0", "1", "0", "2", "1", "2", "0", "1", "2 expected failure, 1 flaky, 1 stale baseline"},
		{"beta", "0", "0", "0", "1", "1", "0", "4", "0", "1", "0", "1", "0", "1 regression"},
	}
	got := totalsRows(t, b)
	if len(got) != len(want) {
		t.Fatalf("totals rows %q, want %q", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("totals row %d: %q, want %q", i, got[i], want[i])
		}
	}
	rows := resultRows(t, b)
	var texts []string
	for _, row := range rows {
		for _, c := range row {
			texts = append(texts, c.text)
		}
	}
	all := strings.Join(texts, "|")
	for _, s := range []string{"Case 6.3.1|Fail expected failure|1007|No Close regression|Unclean", "Pass stale baseline", "Non-Strict flaky"} {
		if !strings.Contains(all, s) {
			t.Errorf("index cells lack %q:\n%s", s, all)
		}
	}
}

// A case whose behavior is OK but whose close is not fails: the totals by
// policy count it as failed, and its cells say WRONG CODE. Under Strict a
// NON-STRICT case fails too.
func TestIndexTotalsByPolicy(t *testing.T) {
	strict := indexResult("alpha", "6.2.1", "NON-STRICT", "OK", intp(1000))
	strict.Policy = Strict
	results := []*Result{
		indexResult("alpha", "6.3.1", "OK", "WRONG CODE", intp(1002)),
		indexResult("alpha", "6.2.2", "NON-STRICT", "OK", intp(1000)),
		strict,
	}
	b, err := IndexHTML(results)
	if err != nil {
		t.Fatal(err)
	}
	rows := totalsRows(t, b)
	if len(rows) != 2 {
		t.Fatalf("totals rows %q", rows)
	}
	head, alpha := rows[0], rows[1]
	counts := map[string]string{}
	for i := len(head) - 6; i < len(head)-1; i++ { // the five columns by policy, before Baseline
		counts[head[i]] = alpha[i]
	}
	want := map[string]string{"Passed": "1", "Failed": "2", "Failed as expected": "0", "Informational": "0", "Unimplemented": "0"}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("totals %s: %q, want %s (row %q under %q)", k, counts[k], v, alpha, head)
		}
	}
	found := false
	for _, row := range resultRows(t, b) {
		if row[0].text != "Case 6.3.1" {
			continue
		}
		found = true
		if !strings.Contains(row[1].text, "WRONG CODE") || row[2].text != "WRONG CODE 1002" {
			t.Errorf("case 6.3.1 cells %q / %q, want both to say WRONG CODE", row[1].text, row[2].text)
		}
	}
	if !found {
		t.Error("no row for case 6.3.1")
	}
}
