// Package frame encodes and decodes WebSocket frame headers (RFC 6455 section
// 5.2) the way a fuzzer needs them: it encodes any opcode, FIN and RSV
// combination, masked or not, with payloads built from a repeated pattern,
// always with minimal length encoding; it decodes whatever a peer sends,
// a header at a time and from partial input, reporting a length the RFC
// forbids without refusing the header.
package frame

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Opcodes defined by RFC 6455. Other values (3-7, 11-15) are reserved.
const (
	OpContinuation byte = 0
	OpText         byte = 1
	OpBinary       byte = 2
	OpClose        byte = 8
	OpPing         byte = 9
	OpPong         byte = 10
)

// IsControl reports whether op is a control opcode (most significant bit set).
func IsControl(op byte) bool { return op > 7 }

// Header is a frame header.
type Header struct {
	Opcode byte
	Fin    bool
	RSV    byte // the three reserved bits as a number 0-7
	Masked bool
	Mask   [4]byte
	Length uint64
	// LengthField is the 7-bit payload length field of a decoded header:
	// the length itself, or 126 or 127 when a 16- or 64-bit length
	// follows. AppendHeader ignores it.
	LengthField byte
}

// MaxLength is the largest payload length a frame header can carry (2^63-1).
const MaxLength = 1<<63 - 1

// AppendHeader appends the encoded header h to dst. The opcode is taken modulo
// 16 and RSV modulo 8, as on the wire.
func AppendHeader(dst []byte, h Header) []byte {
	b0 := h.Opcode & 0x0f
	b0 |= (h.RSV % 8) << 4
	if h.Fin {
		b0 |= 0x80
	}
	var b1 byte
	if h.Masked {
		b1 = 0x80
	}
	switch {
	case h.Length <= 125:
		dst = append(dst, b0, b1|byte(h.Length))
	case h.Length <= 0xffff:
		dst = append(dst, b0, b1|126)
		dst = binary.BigEndian.AppendUint16(dst, uint16(h.Length))
	default:
		dst = append(dst, b0, b1|127)
		dst = binary.BigEndian.AppendUint64(dst, h.Length)
	}
	if h.Masked {
		dst = append(dst, h.Mask[:]...)
	}
	return dst
}

// Errors of Header.Parse for a length that RFC 6455 forbids.
var (
	ErrNonMinimalLength = errors.New("frame: length not in minimal encoding")
	ErrLengthTooLarge   = errors.New("frame: 64-bit length with the most significant bit set")
)

// Parse decodes into h the frame header at the start of b, which may hold
// only part of it. n is the header's length in octets, known once b holds
// two octets, and 0 before (h is then left as it was). From then on h has
// Opcode, Fin, RSV, Masked and LengthField, and ok reports whether b holds
// all n octets; only then are Length and Mask set (zero before), and err may
// be ErrNonMinimalLength (a 16- or 64-bit length that would fit a shorter
// form) or ErrLengthTooLarge (a length over MaxLength), with h decoded all
// the same.
func (h *Header) Parse(b []byte) (n int, ok bool, err error) {
	if len(b) < 2 {
		return 0, false, nil
	}
	b0, b1 := b[0], b[1]
	masked, field := b1&0x80 != 0, b1&0x7f
	n = 2
	switch field {
	case 126:
		n = 4
	case 127:
		n = 10
	}
	if masked {
		n += 4
	}
	var length uint64
	var mask [4]byte
	if ok = len(b) >= n; ok {
		switch field {
		case 126:
			length = uint64(binary.BigEndian.Uint16(b[2:4]))
			if length < 126 {
				err = ErrNonMinimalLength
			}
		case 127:
			length = binary.BigEndian.Uint64(b[2:10])
			switch {
			case length > MaxLength:
				err = ErrLengthTooLarge
			case length <= 0xffff:
				err = ErrNonMinimalLength
			}
		default:
			length = uint64(field)
		}
		if masked {
			mask = [4]byte(b[n-4 : n])
		}
	}
	h.Opcode = b0 & 0x0f
	h.Fin = b0&0x80 != 0
	h.RSV = b0 >> 4 & 7
	h.Masked = masked
	h.Mask = mask
	h.Length = length
	h.LengthField = field
	return n, ok, err
}

// MaxHeaderLen is the length of the longest frame header: 2 octets, an
// 8-octet length and a mask key.
const MaxHeaderLen = 14

// Encode returns the whole frame: header and payload, the payload masked when
// h.Masked is set. h.Length is set from the payload.
func Encode(h Header, payload []byte) []byte {
	return AppendFrame(make([]byte, 0, MaxHeaderLen+len(payload)), h, payload)
}

// AppendFrame appends the whole frame to dst, as Encode returns it.
func AppendFrame(dst []byte, h Header, payload []byte) []byte {
	h.Length = uint64(len(payload))
	dst = AppendHeader(dst, h)
	start := len(dst)
	dst = append(dst, payload...)
	if h.Masked {
		Mask(h.Mask, 0, dst[start:])
	}
	return dst
}

// Mask XORs b in place with the mask key, starting at position pos of the
// payload, and returns the position after b. It works eight octets at a
// time, with the key turned to start at pos.
func Mask(key [4]byte, pos int, b []byte) int {
	var k [8]byte
	for j := range k {
		k[j] = key[(pos+j)&3]
	}
	word := binary.LittleEndian.Uint64(k[:])
	i := 0
	for ; len(b)-i >= 8; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], binary.LittleEndian.Uint64(b[i:])^word)
	}
	for ; i < len(b); i++ {
		b[i] ^= k[i&7]
	}
	return pos + len(b)
}

// Repeat returns pattern repeated and cut to exactly n octets.
func Repeat(pattern []byte, n int) ([]byte, error) {
	if len(pattern) == 0 {
		return nil, fmt.Errorf("frame: cannot repeat an empty pattern to %d octets", n)
	}
	out := make([]byte, n)
	for i := 0; i < n; i += len(pattern) {
		copy(out[i:], pattern)
	}
	return out, nil
}

// Close status codes used by the fuzzer.
const (
	CloseNormal          = 1000
	CloseGoingAway       = 1001
	CloseProtocolError   = 1002
	CloseInvalidPayload  = 1007
	ClosePolicyViolation = 1008
	CloseMessageTooBig   = 1009
)

// ValidReceivedCloseCode reports whether a close code received from a peer is
// acceptable under the fuzzer's rules: 1000-1003, 1007-1011 and 3000-4999.
// (1012-1015 are refused, as by the real fuzzer's framing library.)
func ValidReceivedCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1011:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}

// ClosePayload builds a close frame body: nothing when code is nil, else the
// two-octet code followed by reason.
func ClosePayload(code *int, reason []byte) []byte {
	if code == nil {
		return reason
	}
	p := binary.BigEndian.AppendUint16(nil, uint16(*code))
	return append(p, reason...)
}
