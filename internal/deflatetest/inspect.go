// Package deflatetest helps test permessage-deflate: it decodes DEFLATE
// streams token by token, to see how far back a compressor refers, and it
// hand-writes streams with chosen back references, to play a peer that
// breaks its window. It is test support, never used by the fuzzer itself.
package deflatetest

import (
	"errors"
	"fmt"
)

// Length and distance codes of RFC 1951 section 3.2.5.
var (
	lengthBase  = [...]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [...]int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [...]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [...]int{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// order of code length code lengths in a dynamic block header
	clOrder = [...]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

var errEnd = errors.New("deflatetest: stream ends within a block")

type bitReader struct {
	data []byte
	pos  int // in bits
}

func (r *bitReader) bits(n int) (int, error) {
	v := 0
	for i := 0; i < n; i++ {
		if r.pos>>3 >= len(r.data) {
			return 0, errEnd
		}
		v |= int(r.data[r.pos>>3]>>(r.pos&7)&1) << i
		r.pos++
	}
	return v, nil
}

// huffman is a canonical code: count of codes per length, symbols in order.
type huffman struct {
	count  [16]int
	symbol []int
}

func newHuffman(lengths []int) huffman {
	var h huffman
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	var offs [16]int
	for l := 1; l < 16; l++ {
		offs[l] = offs[l-1] + h.count[l-1]
	}
	offs[0] = 0
	h.symbol = make([]int, len(lengths))
	for s, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = s
			offs[l]++
		}
	}
	return h
}

// decode reads one symbol, one bit at a time (codes are sent most
// significant bit first).
func (r *bitReader) decode(h huffman) (int, error) {
	code, first, index := 0, 0, 0
	for l := 1; l < 16; l++ {
		b, err := r.bits(1)
		if err != nil {
			return 0, err
		}
		code |= b
		if n := h.count[l]; code-first < n {
			return h.symbol[index+code-first], nil
		}
		index += h.count[l]
		first = (first + h.count[l]) << 1
		code <<= 1
	}
	return 0, errors.New("deflatetest: invalid Huffman code")
}

// Inspector decodes a permessage-deflate message stream and records the
// longest back reference. History carries over from one message to the next
// (context takeover) unless Reset is called.
type Inspector struct {
	// MaxDistance is the longest back reference seen.
	MaxDistance int
	history     []byte
}

// Reset forgets the history (a message without context takeover).
func (in *Inspector) Reset() { in.history = in.history[:0] }

// Message decodes one message (as sent, without the 00 00 ff ff tail) and
// returns its content.
func (in *Inspector) Message(p []byte) ([]byte, error) {
	r := &bitReader{data: append(append([]byte(nil), p...), 0, 0, 0xff, 0xff)}
	start := len(in.history)
	for r.pos>>3 < len(r.data) {
		if err := in.block(r); err != nil {
			return nil, err
		}
	}
	return append([]byte(nil), in.history[start:]...), nil
}

func (in *Inspector) block(r *bitReader) error {
	hdr, err := r.bits(3)
	if err != nil {
		return err
	}
	switch hdr >> 1 {
	case 0:
		r.pos = (r.pos + 7) &^ 7
		n, err := r.bits(16)
		if err != nil {
			return err
		}
		if _, err := r.bits(16); err != nil {
			return err
		}
		end := r.pos>>3 + n
		if end > len(r.data) {
			return errEnd
		}
		in.history = append(in.history, r.data[r.pos>>3:end]...)
		r.pos = end << 3
		return nil
	case 1:
		lit := make([]int, 288)
		for i := range lit {
			lit[i] = []int{8, 9, 7, 8}[boolIndex(i >= 144)+boolIndex(i >= 256)+boolIndex(i >= 280)]
		}
		dist := make([]int, 30)
		for i := range dist {
			dist[i] = 5
		}
		return in.codes(r, newHuffman(lit), newHuffman(dist))
	case 2:
		lit, dist, err := dynamicTables(r)
		if err != nil {
			return err
		}
		return in.codes(r, lit, dist)
	}
	return errors.New("deflatetest: reserved block type")
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

func dynamicTables(r *bitReader) (huffman, huffman, error) {
	var hl [3]int
	for i, n := range []int{5, 5, 4} {
		v, err := r.bits(n)
		if err != nil {
			return huffman{}, huffman{}, err
		}
		hl[i] = v
	}
	nlen, ndist, ncode := hl[0]+257, hl[1]+1, hl[2]+4
	cl := make([]int, 19)
	for i := 0; i < ncode; i++ {
		v, err := r.bits(3)
		if err != nil {
			return huffman{}, huffman{}, err
		}
		cl[clOrder[i]] = v
	}
	clh := newHuffman(cl)
	lengths := make([]int, 0, nlen+ndist)
	for len(lengths) < nlen+ndist {
		sym, err := r.decode(clh)
		if err != nil {
			return huffman{}, huffman{}, err
		}
		rep, val := 1, sym
		switch sym {
		case 16:
			if len(lengths) == 0 {
				return huffman{}, huffman{}, errors.New("deflatetest: repeat with no previous length")
			}
			val = lengths[len(lengths)-1]
			n, err := r.bits(2)
			rep = 3 + n
			if err != nil {
				return huffman{}, huffman{}, err
			}
		case 17, 18:
			val = 0
			bits, base := 3, 3
			if sym == 18 {
				bits, base = 7, 11
			}
			n, err := r.bits(bits)
			if err != nil {
				return huffman{}, huffman{}, err
			}
			rep = base + n
		}
		for ; rep > 0; rep-- {
			lengths = append(lengths, val)
		}
	}
	return newHuffman(lengths[:nlen]), newHuffman(lengths[nlen : nlen+ndist]), nil
}

func (in *Inspector) codes(r *bitReader, lit, dist huffman) error {
	for {
		sym, err := r.decode(lit)
		if err != nil {
			return err
		}
		switch {
		case sym < 256:
			in.history = append(in.history, byte(sym))
			continue
		case sym == 256:
			return nil
		case sym > 285:
			return fmt.Errorf("deflatetest: invalid length symbol %d", sym)
		}
		extra, err := r.bits(lengthExtra[sym-257])
		if err != nil {
			return err
		}
		length := lengthBase[sym-257] + extra
		dsym, err := r.decode(dist)
		if err != nil {
			return err
		}
		if dsym >= 30 {
			return fmt.Errorf("deflatetest: invalid distance symbol %d", dsym)
		}
		if extra, err = r.bits(distExtra[dsym]); err != nil {
			return err
		}
		d := distBase[dsym] + extra
		if d > len(in.history) {
			return fmt.Errorf("deflatetest: distance %d reaches before the start of the stream", d)
		}
		in.MaxDistance = max(in.MaxDistance, d)
		for ; length > 0; length-- {
			in.history = append(in.history, in.history[len(in.history)-d])
		}
	}
}
