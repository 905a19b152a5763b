package main

import (
	"flag"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// The command's documentation (go doc) names every flag, the HTML reports
// beside the JSON ones, Ctrl-C and the exit statuses.
func TestDocNamesFlagsAndReports(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Doc.Text()
	flagSet(&config{}).VisitAll(func(fl *flag.Flag) {
		if !strings.Contains(doc, "-"+fl.Name+" ") && !strings.Contains(doc, "-"+fl.Name+",") {
			t.Errorf("the doc does not name flag -%s", fl.Name)
		}
	})
	for _, want := range []string{"index.html", "index.json", ".html", "Ctrl-C", "Exit status", "130"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the doc does not mention %q", want)
		}
	}
}
