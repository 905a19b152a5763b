package script

import (
	"encoding/binary"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// Write is one write the fuzzer makes: octets, or the half-close.
type Write struct {
	Data      []byte
	HalfClose bool
}

// Finished returns s with a valid close (code 1000) at its end when s sends
// no close frame and no half-close itself: the fuzzer always ends a script by
// closing.
func (s Script) Finished() Script {
	for _, a := range s.Actions {
		if a.Kind == HalfClose || a.Opcode == frame.OpClose {
			return s
		}
	}
	end := Action{Kind: CloseBody, Fin: true, Opcode: frame.OpClose, Code: frame.CloseNormal}
	return Script{Actions: append(s.Actions[:len(s.Actions):len(s.Actions)], end)}
}

// Masked reports whether the fuzzer masks a's frame: a client masks, a server
// does not (RFC 6455 5.1), unless BadMask turns it around.
func (a Action) Masked(client bool) bool { return client != a.BadMask }

// Writes returns the writes that play s from the given side (client: the
// fuzzer is the client and masks its frames). Nothing follows a half-close.
func (s Script) Writes(client bool) []Write { return s.WritesLimited(client, 0) }

// WritesLimited is Writes with at most maxChops writes per chopped frame
// (0: no limit): the first maxChops-1 chops as the script has them, where
// the header is, then the rest of the frame at once. It keeps the cost of
// a connection whose every write is a system call bounded.
func (s Script) WritesLimited(client bool, maxChops int) []Write {
	var out []Write
	for _, a := range s.Actions {
		if a.Kind == HalfClose {
			return append(out, Write{HalfClose: true})
		}
		f := a.Encode(client)
		if a.Join && len(out) > 0 {
			last := &out[len(out)-1]
			f = append(last.Data[:len(last.Data):len(last.Data)], f...)
			out = out[:len(out)-1]
		}
		if a.Chop == 0 {
			out = append(out, Write{Data: f})
			continue
		}
		for n := 1; len(f) > a.Chop && (maxChops == 0 || n < maxChops); n++ {
			out = append(out, Write{Data: f[:a.Chop]})
			f = f[a.Chop:]
		}
		out = append(out, Write{Data: f})
	}
	return out
}

// Encode returns a's frame as the fuzzer sends it from the given side.
func (a Action) Encode(client bool) []byte {
	payload := a.Payload()
	b0 := a.RSV&7<<4 | a.Opcode&0x0f
	if a.Fin {
		b0 |= 0x80
	}
	var b1 byte
	masked := a.Masked(client)
	if masked {
		b1 = 0x80
	}
	out := make([]byte, 0, frame.MaxHeaderLen+len(payload))
	n := len(payload)
	switch {
	case a.Form == Len64 || n > 0xffff:
		out = append(out, b0, b1|127)
		out = binary.BigEndian.AppendUint64(out, uint64(n))
	case a.Form == Len16 || n > 125:
		out = append(out, b0, b1|126)
		out = binary.BigEndian.AppendUint16(out, uint16(n))
	default:
		out = append(out, b0, b1|byte(n))
	}
	if masked {
		key := MaskKeys[a.Key&3]
		out = append(out, key[:]...)
		start := len(out)
		out = append(out, payload...)
		frame.Mask(key, 0, out[start:])
		return out
	}
	return append(out, payload...)
}

// NonMinimal reports whether a's header encodes its length in more octets
// than needed, which RFC 6455 5.2 forbids. A length past 16 bits always
// takes the 64-bit form.
func (a Action) NonMinimal() bool {
	n := a.PayloadLen()
	switch {
	case a.Form == Len64 || n > 0xffff:
		return a.Form == Len64 && n <= 0xffff
	case a.Form == Len16 || n > 125:
		return n <= 125
	}
	return false
}
