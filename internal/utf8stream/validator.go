// Package utf8stream validates UTF-8 incrementally, chunk by chunk, and
// reports the first octet at which a sequence can no longer be valid.
//
// It accepts exactly the well-formed byte sequences of Unicode (Table 3-7 of
// the Unicode standard): no overlong forms, no surrogates, nothing above
// U+10FFFF. Non-characters such as U+FFFE are valid. This is the same set and
// the same fail-fast point as the validator of the Autobahn fuzzer.
package utf8stream

import (
	"encoding/binary"
	"unicode/utf8"
)

// Validator is an incremental UTF-8 validator. The zero value is ready to use.
type Validator struct {
	need   int  // continuation octets still needed for the current code point
	lo, hi byte // allowed range of the next continuation octet
	failed bool
	offset int // octets consumed over all calls, up to and including a failing one
}

// Reset prepares v for a new message.
func (v *Validator) Reset() { *v = Validator{} }

// Write validates the next chunk. It returns false as soon as an octet makes
// the input invalid; further calls keep returning false.
//
// Fast paths keep the failing octet and Offset those of octet-by-octet
// validation: once at a code point boundary, the chunk up to a code point
// cut by its end is checked at once with unicode/utf8 (the same rules);
// only when that finds it invalid does the chunk go octet by octet, skipping
// ASCII runs and whole well-formed sequences, to find the failing octet.
func (v *Validator) Write(p []byte) bool {
	if v.failed {
		return false
	}
	i := 0
	whole := true // the check of the whole rest at once is still to try
	for i < len(p) {
		if v.need == 0 {
			if whole {
				whole = false
				if end := i + completeEnd(p[i:]); utf8.Valid(p[i:end]) {
					i = end
					continue
				}
			}
			i = skipValid(p, i)
			if i == len(p) {
				break
			}
			if !v.start(p[i]) {
				v.offset += i + 1
				v.failed = true
				return false
			}
			i++
			continue
		}
		if b := p[i]; b < v.lo || b > v.hi {
			v.offset += i + 1
			v.failed = true
			return false
		}
		v.need--
		v.lo, v.hi = 0x80, 0xBF
		i++
	}
	v.offset += len(p)
	return true
}

// completeEnd is the length of p without a code point that its last octets
// begin but do not finish (judged by the lead octet alone).
func completeEnd(p []byte) int {
	for k := len(p) - 1; k >= 0 && k >= len(p)-3; k-- {
		switch b := p[k]; {
		case b < utf8.RuneSelf:
			return len(p)
		case b >= 0xC0:
			size := 2
			if b >= 0xF0 {
				size = 4
			} else if b >= 0xE0 {
				size = 3
			}
			if k+size > len(p) {
				return k
			}
			return len(p)
		}
	}
	return len(p)
}

// asciiMask has the high bit of each of eight octets.
const asciiMask = 0x8080808080808080

// skipValid returns the index of the first octet at or after i that does not
// begin a complete, well-formed code point within p (len(p) if none).
func skipValid(p []byte, i int) int {
	for i < len(p) {
		for len(p)-i >= 8 && binary.LittleEndian.Uint64(p[i:])&asciiMask == 0 {
			i += 8
		}
		if i == len(p) {
			break
		}
		if p[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			break // invalid here, or cut by the end of p
		}
		i += size
	}
	return i
}

// start begins a code point with lead octet b.
func (v *Validator) start(b byte) bool {
	v.lo, v.hi = 0x80, 0xBF
	switch {
	case b <= 0x7F:
		return true
	case b >= 0xC2 && b <= 0xDF:
		v.need = 1
	case b == 0xE0:
		v.need, v.lo = 2, 0xA0
	case b == 0xED:
		v.need, v.hi = 2, 0x9F
	case b >= 0xE1 && b <= 0xEF:
		v.need = 2
	case b == 0xF0:
		v.need, v.lo = 3, 0x90
	case b >= 0xF1 && b <= 0xF3:
		v.need = 3
	case b == 0xF4:
		v.need, v.hi = 3, 0x8F
	default:
		return false
	}
	return true
}

// Valid reports whether no invalid octet was seen so far.
func (v *Validator) Valid() bool { return !v.failed }

// Complete reports whether the input so far is valid and ends on a code point
// boundary.
func (v *Validator) Complete() bool { return !v.failed && v.need == 0 }

// Offset is the number of octets consumed, including the failing one.
func (v *Validator) Offset() int { return v.offset }

// Valid reports whether p is complete, valid UTF-8 by the same rules.
func Valid(p []byte) bool {
	var v Validator
	return v.Write(p) && v.Complete()
}
