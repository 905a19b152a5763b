package deflatetest

import "fmt"

// Token is a literal octet, or (Length > 0) a copy of Length octets from
// Distance back.
type Token struct {
	Literal  byte
	Length   int
	Distance int
}

// Literals turns p into literal tokens.
func Literals(p []byte) []Token {
	t := make([]Token, len(p))
	for i, b := range p {
		t[i] = Token{Literal: b}
	}
	return t
}

type bitWriter struct {
	out  []byte
	bits uint64
	n    uint
}

// put writes the n low bits of v, least significant first.
func (w *bitWriter) put(v int, n int) {
	w.bits |= uint64(v) << w.n
	w.n += uint(n)
	for w.n >= 8 {
		w.out = append(w.out, byte(w.bits))
		w.bits >>= 8
		w.n -= 8
	}
}

// code writes a Huffman code of n bits, most significant bit first.
func (w *bitWriter) code(c, n int) {
	r := 0
	for i := 0; i < n; i++ {
		r = r<<1 | (c>>i)&1
	}
	w.put(r, n)
}

func (w *bitWriter) literal(sym int) {
	switch {
	case sym < 144:
		w.code(0x30+sym, 8)
	case sym < 256:
		w.code(0x190+sym-144, 9)
	case sym < 280:
		w.code(sym-256, 7)
	default:
		w.code(0xc0+sym-280, 8)
	}
}

// Message writes tokens as one fixed-Huffman block followed by a sync
// flush, and returns it as a permessage-deflate message: without the final
// 00 00 ff ff. It refers back as told, whatever the window.
func Message(tokens []Token) ([]byte, error) {
	w := &bitWriter{}
	w.put(0b010, 3) // not final, fixed Huffman
	for _, t := range tokens {
		if t.Length == 0 {
			w.literal(int(t.Literal))
			continue
		}
		if t.Length < 3 || t.Length > 258 || t.Distance < 1 || t.Distance > 32768 {
			return nil, fmt.Errorf("deflatetest: bad copy of %d from %d back", t.Length, t.Distance)
		}
		li := len(lengthBase) - 1
		for lengthBase[li] > t.Length {
			li--
		}
		w.literal(257 + li)
		w.put(t.Length-lengthBase[li], lengthExtra[li])
		di := len(distBase) - 1
		for distBase[di] > t.Distance {
			di--
		}
		w.code(di, 5)
		w.put(t.Distance-distBase[di], distExtra[di])
	}
	w.literal(256)
	w.put(0, 3) // empty stored block of the sync flush
	if w.n > 0 {
		w.put(0, int(8-w.n))
	}
	return w.out, nil
}
