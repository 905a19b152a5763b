package autobahn_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// mdLink matches the target of a Markdown link: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// markdown is a Markdown file with its code blocks left out.
type markdown struct {
	prose   []string        // the lines outside code blocks
	anchors map[string]bool // the anchors GitHub gives its headings
}

func readMarkdown(t *testing.T, path string) markdown {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	md := markdown{anchors: map[string]bool{}}
	seen := map[string]int{}
	inCode := false
	for line := range strings.SplitSeq(string(raw), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		md.prose = append(md.prose, line)
		if title, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
			a := anchor(title)
			if n := seen[a]; n > 0 {
				md.anchors[a+"-"+strconv.Itoa(n)] = true
			} else {
				md.anchors[a] = true
			}
			seen[a]++
		}
	}
	return md
}

// anchor is the anchor GitHub gives a heading: lower case, spaces become
// hyphens, and punctuation other than hyphens and underscores is dropped.
func anchor(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(title)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Every relative link of README.md and docs/*.md points to a file that
// exists, and every #anchor to a heading of its page.
func TestDocLinks(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append([]string{"README.md"}, pages...)
	parsed := map[string]markdown{}
	page := func(path string) markdown {
		md, ok := parsed[path]
		if !ok {
			md = readMarkdown(t, path)
			parsed[path] = md
		}
		return md
	}
	links := 0
	for _, p := range pages {
		for n, line := range page(p).prose {
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				links++
				file, frag, _ := strings.Cut(target, "#")
				dest := p
				if file != "" {
					dest = filepath.Join(filepath.Dir(p), filepath.FromSlash(file))
					if _, err := os.Stat(dest); err != nil {
						t.Errorf("%s:%d: link %q: %v", p, n+1, target, err)
						continue
					}
				}
				if frag != "" && strings.HasSuffix(dest, ".md") && !page(dest).anchors[frag] {
					t.Errorf("%s:%d: link %q: %s has no heading with anchor #%s", p, n+1, target, dest, frag)
				}
			}
		}
	}
	if links == 0 {
		t.Error("no relative link found: the README links its docs/ pages")
	}
}

// The README links every page of docs/.
func TestReadmeLinksEveryDocsPage(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := strings.Join(readMarkdown(t, "README.md").prose, "\n")
	for _, p := range pages {
		if !strings.Contains(readme, "]("+filepath.ToSlash(p)+")") {
			t.Errorf("README.md does not link %s", p)
		}
	}
}
