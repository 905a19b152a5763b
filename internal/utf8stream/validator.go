// Package utf8stream validates UTF-8 incrementally, chunk by chunk, and
// reports the first octet at which a sequence can no longer be valid.
//
// It accepts exactly the well-formed byte sequences of Unicode (Table 3-7 of
// the Unicode standard): no overlong forms, no surrogates, nothing above
// U+10FFFF. Non-characters such as U+FFFE are valid. This is the same set and
// the same fail-fast point as the validator of the Autobahn fuzzer.
package utf8stream

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
func (v *Validator) Write(p []byte) bool {
	if v.failed {
		return false
	}
	for _, b := range p {
		v.offset++
		if v.need == 0 {
			if !v.start(b) {
				v.failed = true
				return false
			}
			continue
		}
		if b < v.lo || b > v.hi {
			v.failed = true
			return false
		}
		v.need--
		v.lo, v.hi = 0x80, 0xBF
	}
	return true
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
