package autobahntest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The user documentation (README.md and docs/) shows how to test a server
// that is not an http.Handler, and advises on -parallel for Parallel.
func TestUserDocs(t *testing.T) {
	paths, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, p := range append(paths, "../README.md") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, want := range []string{"autobahntest.URL(", "autobahntest.URLFunc(", "`go test -parallel 16`"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("README.md and docs/ never show %s", want)
		}
	}
}
