package corpus

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"testing"
	"unicode/utf8"
)

func TestSizesAndKinds(t *testing.T) {
	for _, c := range All() {
		d := c.Data()
		if len(d) != c.Size {
			t.Errorf("%s: %d octets, want %d", c.Key, len(d), c.Size)
		}
		if !c.Binary && !utf8.Valid(d) {
			t.Errorf("%s: text corpus is not valid UTF-8", c.Key)
		}
		if got, ok := ByKey(c.Key); !ok || got != c {
			t.Errorf("ByKey(%q) = %v, %v", c.Key, got, ok)
		}
	}
	if _, ok := ByKey("nope"); ok {
		t.Error("ByKey found an unknown key")
	}
}

func TestJSONIsValidASCII(t *testing.T) {
	d := JSON.Data()
	if !json.Valid(d) {
		t.Fatal("JSON corpus is not valid JSON")
	}
	if !ascii(d) {
		t.Error("JSON corpus has non-ASCII octets")
	}
	if JSON.Len() != len(d) {
		t.Errorf("Len %d, want %d", JSON.Len(), len(d))
	}
}

func TestHTMLNonASCII(t *testing.T) {
	d := HTML.Data()
	n := 0
	for _, b := range d {
		if b >= utf8.RuneSelf {
			n++
		}
	}
	if n != 53 {
		t.Errorf("HTML corpus has %d non-ASCII octets, want 53", n)
	}
	if want := utf8.RuneCount(d); HTML.Len() != want {
		t.Errorf("Len %d characters, want %d", HTML.Len(), want)
	}
	// Slicing is by characters: the whole range is every octet.
	if !bytes.Equal(HTML.Slice(0, HTML.Len()), d) {
		t.Error("Slice(0, Len) is not the whole corpus")
	}
	for i := 0; i+10 <= HTML.Len(); i += 997 {
		if s := HTML.Slice(i, i+10); utf8.RuneCount(s) != 10 || !utf8.Valid(s) {
			t.Fatalf("Slice(%d, %d) = %q: not 10 whole characters", i, i+10, s)
		}
	}
	if !bytes.HasPrefix(d, []byte("<!DOCTYPE html>")) || !bytes.HasSuffix(d, []byte("</html>\n")) {
		t.Error("HTML corpus is not a whole page")
	}
}

func TestBitmapHeader(t *testing.T) {
	d := Image.Data()
	le := binary.LittleEndian
	if string(d[:2]) != "BM" || le.Uint32(d[2:]) != uint32(len(d)) || le.Uint32(d[18:]) != 512 ||
		le.Uint32(d[22:]) != 512 || le.Uint16(d[28:]) != 8 || le.Uint32(d[10:]) != 1078 {
		t.Errorf("bad BMP header % x", d[:54])
	}
}

func TestPDFStructure(t *testing.T) {
	d := PDF.Data()
	if !bytes.HasPrefix(d, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(d, []byte("%%EOF\n")) {
		t.Fatal("PDF corpus lacks header or end marker")
	}
	i := bytes.LastIndex(d, []byte("startxref\n"))
	var start int
	if _, err := fmt.Sscanf(string(d[i+len("startxref\n"):]), "%d", &start); err != nil {
		t.Fatalf("startxref: %v", err)
	}
	if !bytes.HasPrefix(d[start:], []byte("xref\n")) {
		t.Errorf("startxref %d does not point at the xref table", start)
	}
}

// TestCompressibility checks that each data set compresses like its kind:
// text well, the photo-like bitmap moderately, the PDF's dense streams hardly.
func TestCompressibility(t *testing.T) {
	for _, tc := range []struct {
		c        *Corpus
		min, max float64
	}{{JSON, 0.05, 0.3}, {Prose, 0.2, 0.45}, {HTML, 0.1, 0.4}, {Image, 0.4, 0.95}, {PDF, 0.8, 1.01}} {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
		w.Write(tc.c.Data())
		w.Close()
		ratio := float64(buf.Len()) / float64(tc.c.Size)
		t.Logf("%s: ratio %.3f", tc.c.Key, ratio)
		if ratio < tc.min || ratio > tc.max {
			t.Errorf("%s: compression ratio %.3f outside [%.2f, %.2f]", tc.c.Key, ratio, tc.min, tc.max)
		}
	}
}

// TestDeterministic pins every data set, so that a change of generator (or
// a platform that computes differently) shows here: the cases must send the
// same octets everywhere.
func TestDeterministic(t *testing.T) {
	want := map[string]string{
		"json":  "cfd2fd81b54427ca298fd9ea771eea70f7e6ba661cf5d349d88e8c00e7e4ec88",
		"image": "eada9c5df596243f0a4138d8616b68e3ac948173677c373d88e7873acc598a52",
		"prose": "3b1a7efe0750bd8780bb81a2b1d506adf030f582dfea1035a1d992b8ae9e4c3e",
		"html":  "59114e01574eee30569c2a70a9bd57ab72ab2534dbe895b2c9c1e47395d79aab",
		"pdf":   "6fbf1be165c1256a640bdc07b1e2be704055c8cdb3711e6ad7f840b0a1aaab02",
	}
	for _, c := range All() {
		if got := fmt.Sprintf("%x", sha256.Sum256(c.Data())); got != want[c.Key] {
			t.Errorf("%s: sha256 %s, want %s", c.Key, got, want[c.Key])
		}
	}
}
