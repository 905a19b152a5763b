package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"time"

	"github.com/wsfuzz/autobahn/internal/atomicfile"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// templates holds the index and case page templates. html/template escapes
// every value, so nothing that came from the peer (payloads, close reasons,
// HTTP headers, agent names) can add markup to a page.
var templates = template.Must(template.ParseFS(templateFiles, "templates/*.tmpl"))

// CasePageHTML renders the HTML page of one result: verdict, description,
// expectation, outcome, closing behaviour, opening handshake, closing
// behaviour table, wire statistics and wire log, as the real fuzzer's case
// pages show them.
func CasePageHTML(r *Result) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("report: case page of a nil result")
	}
	p, err := newCasePage(r)
	if err != nil {
		return nil, fmt.Errorf("report: case %s for %s: %w", r.ID, r.Agent, err)
	}
	return render("case.tmpl", p)
}

// IndexHTML renders index.html for results: every case id among them by
// category, one column pair per agent, a cell coloured by verdict linking to
// the case page (or Missing when an agent has no result for the case), then
// the description and expectation of every case.
func IndexHTML(results []*Result) ([]byte, error) {
	p, err := newIndexPage(results, time.Now())
	if err != nil {
		return nil, fmt.Errorf("report: index: %w", err)
	}
	return render("index.tmpl", p)
}

// render executes the named template with data.
func render(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("report: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// WriteHTML writes index.html and one HTML page per result into dir, creating
// dir when needed. Each file is written atomically, case pages first and
// index.html last.
func WriteHTML(dir string, results []*Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: create %s: %w", dir, err)
	}
	if err := writeCasePages(dir, results); err != nil {
		return err
	}
	return writeIndexHTML(dir, results)
}

// writeCasePages writes the HTML page of every result.
func writeCasePages(dir string, results []*Result) error {
	for _, r := range results {
		b, err := CasePageHTML(r)
		if err != nil {
			return err
		}
		name := CaseFile(r.Agent, r.ID, "html")
		if err := atomicfile.Write(filepath.Join(dir, name), b); err != nil {
			return fmt.Errorf("report: write %s: %w", name, err)
		}
	}
	return nil
}

// writeIndexHTML writes index.html listing results.
func writeIndexHTML(dir string, results []*Result) error {
	b, err := IndexHTML(results)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "index.html"), b); err != nil {
		return fmt.Errorf("report: write index.html: %w", err)
	}
	return nil
}

// Write writes the whole report into dir: the HTML pages, then the JSON
// files with index.json last, so that an index.json that exists marks a
// complete report.
func Write(dir string, results []*Result) error {
	if err := WriteHTML(dir, results); err != nil {
		return err
	}
	return WriteJSON(dir, results)
}
