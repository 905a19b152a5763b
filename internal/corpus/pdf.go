package corpus

import (
	"fmt"
	"strings"
)

// pdfDocument is a document with the structure of a PDF file (header,
// numbered objects with page dictionaries, text content and dense binary
// streams, a cross-reference table with the true offsets, trailer) of exactly
// size octets. Most of it is high-entropy stream data, as in a real PDF whose
// streams are compressed already.
func pdfDocument(size int) []byte {
	r := newRNG(0x0df0c5ee)
	w := &writer{r: r}
	var b []byte
	b = append(b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"...)
	var offsets []int
	object := func(body []byte) {
		offsets = append(offsets, len(b))
		b = fmt.Appendf(b, "%d 0 obj\n", len(offsets))
		b = append(b, body...)
		b = append(b, "\nendobj\n"...)
	}
	object([]byte("<< /Type /Catalog /Pages 2 0 R >>"))
	object([]byte("<< /Type /Pages /Kids [] /Count 0 >>"))
	object([]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>"))
	const reserve = 64 << 10 // room for the last objects, xref and trailer
	for len(b) < size-reserve {
		switch r.intn(4) {
		case 0: // a page's text content, readable
			var t strings.Builder
			t.WriteString("BT /F1 10 Tf 72 720 Td 12 TL\n")
			for l := 20 + r.intn(30); l > 0; l-- {
				fmt.Fprintf(&t, "(%s) '\n", w.sentence())
			}
			t.WriteString("ET")
			object(fmt.Appendf(nil, "<< /Length %d >>\nstream\n%s\nendstream", t.Len(), t.String()))
		case 1: // a page dictionary
			object(fmt.Appendf(nil, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
				len(offsets)))
		default: // a compressed image or font stream: dense octets
			n := 2000 + r.intn(40000)
			data := make([]byte, n)
			for i := range data {
				data[i] = byte(r.next() >> 56)
			}
			body := fmt.Appendf(nil, "<< /Length %d /Filter /FlateDecode >>\nstream\n", n)
			body = append(body, data...)
			object(append(body, "\nendstream"...))
		}
	}
	// Pad with a comment so that the file ends exactly at size.
	xref := func() []byte {
		x := fmt.Appendf(nil, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
		for _, o := range offsets {
			x = fmt.Appendf(x, "%010d 00000 n \n", o)
		}
		return x
	}()
	trailer := func(start int) []byte {
		return fmt.Appendf(nil, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, start)
	}
	pad := 0
	for range 3 { // the trailer's length depends on where the xref starts
		pad = size - len(b) - len(xref) - len(trailer(len(b)+pad))
	}
	b = append(b, '%')
	for i := 1; i < pad-1; i++ {
		b = append(b, ' ')
	}
	b = append(b, '\n')
	start := len(b)
	b = append(b, xref...)
	return append(b, trailer(start)...)
}
