package main

import (
	"context"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
)

// TestShape builds the table for one library (gorilla, in both roles) and
// checks its shape: every case of section H is in the grid of the role it
// tests, played, and in the markdown; every break listed comes with its
// bytes. It does not check verdicts: what a library must do comes from the
// RFC, which the cases' own tests hold.
func TestShape(t *testing.T) {
	libs, err := pick(Libraries(), "gorilla")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Build(context.Background(), libs, 8)
	if err != nil {
		t.Fatal(err)
	}
	var server, client []string
	for _, c := range cases.Extended() {
		switch c.Tests() {
		case cases.ServerPeer:
			server = append(server, c.ID)
		case cases.ClientPeer:
			client = append(client, c.ID)
		default:
			t.Errorf("case %s tests %v, not one role", c.ID, c.Tests())
		}
	}
	if len(server) == 0 || len(client) == 0 {
		t.Fatalf("section H has %d server and %d client cases", len(server), len(client))
	}
	var md strings.Builder
	if err := tab.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	check := func(role string, ids, got []string, section string) {
		t.Helper()
		if strings.Join(got, " ") != strings.Join(ids, " ") {
			t.Errorf("%s ids %v, want %v", role, got, ids)
		}
		grid, _, _ := strings.Cut(out[strings.Index(out, section):], "\n## ")
		for _, id := range ids {
			c := tab.Cells[role][id]["gorilla"]
			switch {
			case c == nil:
				t.Errorf("%s %s: no cell", role, id)
			case c.Err != nil || c.Result == nil:
				t.Errorf("%s %s: not played: %v", role, id, c.Err)
			case c.Result.ID != id:
				t.Errorf("%s %s: the result is of case %s", role, id, c.Result.ID)
			}
			if !strings.Contains(grid, "| "+id+" |") {
				t.Errorf("%s %s: no row in the %s grid", role, id, role)
			}
			if (c.Broken() || c.Hidden()) && !strings.Contains(out, "### gorilla "+role+", "+id+"\n") {
				t.Errorf("%s %s: broken (%s) but not in the breaks", role, id, c.Label())
			}
		}
	}
	check(harness.RoleServer, server, tab.ServerIDs, "## Servers")
	check(harness.RoleClient, client, tab.ClientIDs, "## Clients")
	// every break shows two heads, each in a fenced block: four fence lines
	if n, fences := strings.Count(out, "\n### "), strings.Count(out, "```"); n == 0 || fences != 4*n {
		t.Errorf("%d breaks and %d fence lines", n, fences)
	}
	t.Logf("gorilla played in %v", tab.Elapsed)
}
