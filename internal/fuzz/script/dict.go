package script

import "github.com/wsfuzz/autobahn/cases"

// builtin are the interesting payload patterns that come first in
// Dictionary, at fixed indexes: text valid and invalid as UTF-8 (overlong
// forms, surrogates, code points past U+10FFFF, sequences cut short, stray
// continuation octets), binary, and close reasons.
var builtin = []string{
	"*",
	"Hello, world!",
	"κόσμε",
	"Hello-µ@ßöäüàá-UTF-8!!",
	"\xf0\x90\x80\x80",     // U+10000, four octets
	"\xef\xbf\xbf",         // U+FFFF
	"\xf4\x8f\xbf\xbf",     // U+10FFFF
	"\xff",                 // never valid
	"\x80",                 // continuation octet alone
	"\xc0\xaf",             // overlong "/"
	"\xed\xa0\x80",         // surrogate U+D800
	"\xf4\x90\x80\x80",     // past U+10FFFF
	"\xce\xba\xe1\xbd",     // "κ" then a sequence cut short
	"\xe1\x80",             // three-octet sequence cut short
	"\xce\xba\xe1\xbd\xb9", // "κό" split across a repetition
	"\x00",
	"\xfe\xff\x00\x01",
	"BAsd7&jh23",
}

// Dictionary is the payload patterns a script can use: builtin first, then
// every payload and close reason of the Autobahn catalog (sections 1-10) in
// catalog order, each once. An index stays the same as long as the catalog
// does.
var Dictionary [][]byte

// patternIndex maps a pattern to its index in Dictionary.
var patternIndex = map[string]int{}

func init() {
	for _, p := range builtin {
		addPattern([]byte(p))
	}
	for _, c := range catalogCases() {
		for _, f := range catalogFrames(c) {
			addPattern(f.pattern)
		}
	}
}

func addPattern(p []byte) {
	if len(p) == 0 {
		return
	}
	if _, ok := patternIndex[string(p)]; ok {
		return
	}
	patternIndex[string(p)] = len(Dictionary)
	Dictionary = append(Dictionary, p)
}

// catalogCases are the cases of the catalog whose frames seed the corpus:
// those without compression.
func catalogCases() []*cases.Case {
	var out []*cases.Case
	for _, c := range cases.All() {
		if c.Compression == nil {
			out = append(out, c)
		}
	}
	return out
}
