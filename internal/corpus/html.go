package corpus

import (
	"fmt"
	"strings"
)

// htmlSpecials are the only non-ASCII text of the HTML page: 22 two-octet
// and 3 three-octet characters, 53 octets in all.
var htmlSpecials = []string{
	"the café", "a naïve clerk", "Zürich", "São Paulo", "Gödel", "the façade", "a jalapeño", "déjà vu",
	"Düsseldorf", "Malmö", "Kraków", "a smörgåsbord", "crème brûlée", "Ørsted", "the señor", "a résumé",
	"Málaga", "a price of 12 €", "— so it seemed —",
}

const htmlHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The Generated Country: Collected Notes</title>
<style>
body { font-family: Georgia, serif; margin: 2em auto; max-width: 48em; color: #222; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
table.data { border-collapse: collapse; margin: 1em 0; }
table.data td, table.data th { border: 1px solid #ddd; padding: 0.2em 0.6em; }
td.num { text-align: right; font-family: monospace; }
</style>
</head>
<body>
<h1>The Generated Country: Collected Notes</h1>
`

const htmlTail = "</body>\n</html>\n"

// htmlPage is a long HTML page of sections with headings, paragraphs,
// tables and link lists, padded with white space to exactly size octets.
func htmlPage(size int) []byte {
	w := &writer{r: newRNG(0x47e1d0c5)}
	var b strings.Builder
	b.WriteString(htmlHead)
	special := 0
	paragraphs := 0
	for n := 1; ; n++ {
		var s strings.Builder
		title := w.nounPhrase()
		fmt.Fprintf(&s, "<div class=\"section\" id=\"s-%d\">\n<h2>%d. %s%s</h2>\n", n, n, strings.ToUpper(title[:1]), title[1:])
		for p := 2 + w.r.intn(3); p > 0; p-- {
			text := w.paragraph()
			if paragraphs++; paragraphs%4 == 0 && special < len(htmlSpecials) {
				text += " Nobody there had heard of " + htmlSpecials[special] + " before."
				special++
			}
			s.WriteString("<p>" + strings.TrimSuffix(wrap(text, 100, "\n"), "\n") + "</p>\n")
		}
		s.WriteString("<table class=\"data\">\n<tr><th>Place</th><th>Year</th><th>Count</th><th>Share</th></tr>\n")
		for row := 3 + w.r.intn(6); row > 0; row-- {
			fmt.Fprintf(&s, "<tr><td>%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d.%d%%</td></tr>\n",
				w.r.pick(nouns), 1850+w.r.intn(170), w.r.intn(100000), w.r.intn(100), w.r.intn(10))
		}
		s.WriteString("</table>\n<ul>\n")
		for li := 2 + w.r.intn(5); li > 0; li-- {
			fmt.Fprintf(&s, "<li><a href=\"/archive/%d/%02d/%s-%d.html\">%s</a></li>\n",
				1990+w.r.intn(30), 1+w.r.intn(12), w.r.pick(nouns), w.r.intn(1000), w.nounPhrase())
		}
		s.WriteString("</ul>\n</div>\n")
		if b.Len()+s.Len()+len(htmlTail) > size {
			break
		}
		b.WriteString(s.String())
	}
	for b.Len()+len(htmlTail) < size {
		b.WriteByte('\n')
	}
	b.WriteString(htmlTail)
	return []byte(b.String())
}
