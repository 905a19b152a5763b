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
		{"Agent", "Pass", "Non-Strict", "Fail", "No Close", "Info", "Unimplemented", "Missing", "Baseline"},
		{"alpha", "2", "1", "2", "0", "0", "1", "0", "2 expected failure, 1 flaky, 1 stale baseline"},
		{"beta", "0", "0", "0", "1", "1", "0", "4", "1 regression"},
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
