package corpus

import (
	"fmt"
	"strings"
)

// Vocabulary of the generated English prose.
var (
	determiners  = []string{"the", "the", "the", "a", "a", "this", "that", "every", "some", "his", "her", "their", "our", "no"}
	adjectives   = []string{"old", "quiet", "bright", "narrow", "distant", "cold", "green", "heavy", "gentle", "broken", "silent", "golden", "small", "ancient", "restless", "pale", "wide", "hidden", "early", "weary", "strange", "faithful", "dark", "open"}
	nouns        = []string{"river", "town", "road", "house", "garden", "window", "letter", "traveller", "doctor", "mill", "bridge", "valley", "morning", "evening", "stranger", "clerk", "lamp", "harbour", "field", "forest", "child", "merchant", "door", "question", "answer", "book", "winter", "summer", "church", "market", "student", "ship", "voice", "hill", "story", "promise", "shadow", "table", "friend", "master"}
	verbs        = []string{"watched", "followed", "remembered", "carried", "answered", "crossed", "opened", "left", "found", "heard", "kept", "passed", "saw", "reached", "sought", "entered", "praised", "forgot", "closed", "waited for", "spoke of", "looked at", "turned from", "thought of"}
	prepositions = []string{"in", "on", "under", "beyond", "near", "across", "through", "behind", "before", "after", "along", "towards", "beside", "above"}
	openers      = []string{"", "", "", "", "Then ", "At last ", "In the end ", "For a while ", "Even so, ", "Later ", "Once more ", "Without a word, ", "By then ", "Still, "}
	joiners      = []string{", and ", ", but ", "; ", ", while ", ", for ", ", so that "}
	names        = []string{"Martha", "John", "Elinor", "Thomas", "Agnes", "William", "Clara", "Henry", "Margaret", "Samuel"}
)

// writer builds generated English text.
type writer struct {
	r *rng
	b strings.Builder
}

func (w *writer) nounPhrase() string {
	if w.r.intn(6) == 0 {
		return w.r.pick(names)
	}
	p := w.r.pick(determiners) + " "
	if w.r.intn(2) == 0 {
		p += w.r.pick(adjectives) + " "
	}
	return p + w.r.pick(nouns)
}

func (w *writer) clause() string {
	c := w.nounPhrase() + " " + w.r.pick(verbs) + " " + w.nounPhrase()
	if w.r.intn(3) == 0 {
		c += " " + w.r.pick(prepositions) + " " + w.nounPhrase()
	}
	return c
}

// sentence is one capitalised sentence of one to three clauses.
func (w *writer) sentence() string {
	s := w.r.pick(openers) + w.clause()
	for n := w.r.intn(3); n > 0; n-- {
		s += w.r.pick(joiners) + w.clause()
	}
	end := "."
	switch w.r.intn(12) {
	case 0:
		end = "?"
	case 1:
		end = "!"
	}
	return strings.ToUpper(s[:1]) + s[1:] + end
}

// paragraph is several sentences in one line.
func (w *writer) paragraph() string {
	n := 3 + w.r.intn(6)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = w.sentence()
	}
	return strings.Join(parts, " ")
}

// wrap breaks text into lines of at most width columns, ended by eol.
func wrap(text string, width int, eol string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		if i > 0 && line+1+len(word) > width {
			b.WriteString(eol)
			line = 0
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	b.WriteString(eol)
	return b.String()
}

// prose is a plain text book in chapters, wrapped at 72 columns with CRLF
// line ends as in e-text archives, cut to size octets.
func prose(size int) []byte {
	w := &writer{r: newRNG(0x9e0c1a55)}
	w.b.WriteString("THE GENERATED COUNTRY\r\n\r\nA Tale in Plain Words\r\n\r\n\r\n")
	for ch := 1; w.b.Len() < size; ch++ {
		fmt.Fprintf(&w.b, "CHAPTER %d\r\n\r\n", ch)
		for p := 12 + w.r.intn(10); p > 0 && w.b.Len() < size; p-- {
			w.b.WriteString(wrap(w.paragraph(), 72, "\r\n"))
			w.b.WriteString("\r\n")
		}
		w.b.WriteString("\r\n")
	}
	return []byte(w.b.String()[:size])
}
