// Package corpus holds the five test data sets of the compression cases
// (12.x, 13.x): data of the same kinds and sizes as the real fuzzer's files
// (a JSON document, an 8-bit 512x512 bitmap, English prose, an HTML page with
// a few non-ASCII characters, a PDF-like binary), generated here from fixed
// seeds so that every run and machine sends the same octets.
package corpus

import (
	"sync"
	"unicode/utf8"
)

// Corpus is one data set. Text data sets are sliced by characters.
type Corpus struct {
	// Key names the data set in the case catalog.
	Key string
	// Description says what the data is.
	Description string
	// Binary data is sent in binary messages, the rest as text.
	Binary bool
	// Size is the length in octets.
	Size int

	generate func(size int) []byte
	once     sync.Once
	data     []byte
	starts   []int // octet offset of every character; nil when all are ASCII
}

// The data sets, in the order of the 12.x subcategories.
var (
	JSON  = &Corpus{Key: "json", Description: "JSON document", Size: 194056, generate: jsonDocument}
	Image = &Corpus{Key: "image", Description: "512x512 8-bit grayscale bitmap", Binary: true, Size: 263222, generate: bitmap}
	Prose = &Corpus{Key: "prose", Description: "English prose, sent as binary", Binary: true, Size: 222218, generate: prose}
	HTML  = &Corpus{Key: "html", Description: "HTML page with non-ASCII characters", Size: 263647, generate: htmlPage}
	PDF   = &Corpus{Key: "pdf", Description: "PDF-like binary document", Binary: true, Size: 1042328, generate: pdfDocument}
)

var all = []*Corpus{JSON, Image, Prose, HTML, PDF}

// All returns the data sets in the order of the 12.x subcategories.
func All() []*Corpus { return append([]*Corpus(nil), all...) }

// ByKey returns the data set with the given key.
func ByKey(key string) (*Corpus, bool) {
	for _, c := range all {
		if c.Key == key {
			return c, true
		}
	}
	return nil, false
}

// Data returns the octets of the data set, generated on first use. Callers
// must not modify them.
func (c *Corpus) Data() []byte {
	c.once.Do(func() {
		c.data = c.generate(c.Size)
		if !c.Binary && !ascii(c.data) {
			c.starts = make([]int, 0, utf8.RuneCount(c.data)+1)
			for i := range string(c.data) {
				c.starts = append(c.starts, i)
			}
			c.starts = append(c.starts, len(c.data))
		}
	})
	return c.data
}

// Len is the length in the unit messages are cut in: characters for text,
// octets for binary.
func (c *Corpus) Len() int {
	c.Data()
	if c.starts != nil {
		return len(c.starts) - 1
	}
	return len(c.data)
}

// Slice returns the units from index from up to to (characters for text,
// octets for binary), as octets.
func (c *Corpus) Slice(from, to int) []byte {
	d := c.Data()
	if c.starts != nil {
		return d[c.starts[from]:c.starts[to]]
	}
	return d[from:to]
}

func ascii(p []byte) bool {
	for _, b := range p {
		if b >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
