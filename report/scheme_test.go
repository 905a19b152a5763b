package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestPagesShowScheme: the case page says what the case ran over, the
// index says it beside each agent, and a result without a scheme (read
// from JSON) adds nothing to either page.
func TestPagesShowScheme(t *testing.T) {
	for _, tc := range []struct{ scheme, shown string }{
		{"", ""},
		{"ws", "ws://"},
		{"wss", "wss:// (TLS)"},
	} {
		r := seedResult(t)
		r.Scheme = tc.scheme
		page, err := CasePageHTML(r)
		if err != nil {
			t.Fatal(err)
		}
		index, err := IndexHTML([]*Result{r})
		if err != nil {
			t.Fatal(err)
		}
		if tc.shown == "" {
			if bytes.Contains(page, []byte(`class="connection"`)) || bytes.Contains(index, []byte(`class="connection"`)) {
				t.Errorf("a result without a scheme shows a connection")
			}
			continue
		}
		requireInOrder(t, textLines(t, page), []string{"Mint - Case 3.4 : Pass - 16 ms @ 2022-02-27T20:32:12.295Z",
			"Connection: " + tc.shown, "Case Description"})
		if want := `<td class="agent">Mint <small class="connection">` + tc.shown + `</small></td>`; !bytes.Contains(index, []byte(want)) {
			t.Errorf("scheme %q: the index lacks %s", tc.scheme, want)
		}
	}
}

// TestIndexShowsEverySchemeOfAnAgent: an agent tested both ways shows both
// schemes, one of unknown scheme none.
func TestIndexShowsEverySchemeOfAnAgent(t *testing.T) {
	a, b, c := indexResult("alpha", "1.1.1", "OK", "OK", intp(1000)), indexResult("alpha", "1.1.2", "OK", "OK", intp(1000)), indexResult("beta", "1.1.1", "OK", "OK", intp(1000))
	a.Scheme, b.Scheme = "wss", "ws"
	index, err := IndexHTML([]*Result{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<td class="agent">alpha <small class="connection">ws://, wss:// (TLS)</small></td>`, `<td class="agent">beta</td>`} {
		if !bytes.Contains(index, []byte(want)) {
			t.Errorf("the index lacks %s", want)
		}
	}
}

// TestSummaryNamesScheme: the "testing:" line of a summary says the scheme
// when it is known.
func TestSummaryNamesScheme(t *testing.T) {
	r := seedResult(t)
	if got, want := strings.SplitN(Summary(r), "\n", 3)[1], `testing:         client (the fuzzer is the server) "Mint"`; got != want {
		t.Errorf("without a scheme: %q, want %q", got, want)
	}
	r.Scheme = "wss"
	if got, want := strings.SplitN(Summary(r), "\n", 3)[1], `testing:         client (the fuzzer is the server) "Mint" over wss://`; got != want {
		t.Errorf("over TLS: %q, want %q", got, want)
	}
}
