package oracle

import (
	"encoding/binary"
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
)

// masking: RFC 6455 5.1 (a server must not mask) and 5.3 (a client must).
func masking(f PeerFrame, peerIsServer bool) string {
	switch {
	case peerIsServer && f.Masked:
		return "a server masked a frame"
	case !peerIsServer && !f.Masked:
		return "a client sent an unmasked frame"
	}
	return ""
}

// rsv: RFC 6455 5.2, RSV bits without a negotiated extension.
func rsv(f PeerFrame, _ bool) string {
	if f.RSV != 0 {
		return fmt.Sprintf("RSV=%d set without an extension", f.RSV)
	}
	return ""
}

// opcode: RFC 6455 5.2, reserved opcodes 3-7 and 11-15.
func opcode(f PeerFrame, _ bool) string {
	if f.Opcode > 2 && f.Opcode < 8 || f.Opcode > 10 {
		return fmt.Sprintf("reserved opcode %d", f.Opcode)
	}
	return ""
}

// length: RFC 6455 5.2, the minimal length form and the 64-bit form's top
// bit.
func length(f PeerFrame, _ bool) string {
	switch {
	case f.TopBit:
		return "a 64-bit length with its most significant bit set"
	case f.NonMinimal:
		return fmt.Sprintf("a length of %d in a longer form than needed", len(f.Payload))
	}
	return ""
}

// control: RFC 6455 5.5, control frames at most 125 octets and not
// fragmented.
func control(f PeerFrame, _ bool) string {
	switch {
	case !frame.IsControl(f.Opcode):
		return ""
	case len(f.Payload) > 125:
		return fmt.Sprintf("a control frame of %d octets", len(f.Payload))
	case !f.Fin:
		return "a control frame without FIN"
	}
	return ""
}

// closeBody: RFC 6455 5.5.1 (empty or a code and a UTF-8 reason), 7.4.1
// and 7.4.2 (1004-1006 and 1015 must not be sent; codes below 1000 are not
// used, 5000 and above are not defined).
func closeBody(f PeerFrame, _ bool) string {
	if f.Opcode != frame.OpClose || len(f.Payload) == 0 {
		return ""
	}
	if len(f.Payload) == 1 {
		return "a close body of one octet"
	}
	code := int(binary.BigEndian.Uint16(f.Payload))
	switch {
	case code < 1000 || code >= 5000 || code >= 1004 && code <= 1006 || code == 1015:
		return fmt.Sprintf("close code %d may not be sent", code)
	case !utf8stream.Valid(f.Payload[2:]):
		return "a close reason that is not UTF-8"
	}
	return ""
}

// assemble follows the peer's frames as messages: the echoed messages and
// pongs, its first close frame, and the first breach of continuation
// sequencing (RFC 6455 5.4), of UTF-8 in text (5.6, 8.1) and of data after
// its close (5.5.1).
func (c *check) assemble() {
	c.closeFrame = -1
	var (
		open    bool
		binary  bool
		payload []byte
		v       utf8stream.Validator
	)
	for i, f := range c.frames {
		// where names the frame in a failure (formatted only for one).
		where := func() string { return fmt.Sprintf("frame %d the peer sent (%v)", i+1, f) }
		if c.closeFrame >= 0 && isData(f.Opcode) && c.afterClose == "" {
			c.afterClose = where() + ": a data frame after its close frame"
		}
		switch {
		case f.Opcode == frame.OpClose && c.closeFrame < 0:
			c.closeFrame = i
		case f.Opcode == frame.OpPong:
			c.pongs = append(c.pongs, f.Payload)
		case !isData(f.Opcode):
		case f.Opcode == frame.OpContinuation && !open:
			c.setOnce(&c.continuation, where, ": a continuation frame outside a message")
		case f.Opcode != frame.OpContinuation && open:
			c.setOnce(&c.continuation, where, ": a new message inside a fragmented one")
		default:
			if f.Opcode != frame.OpContinuation {
				// The frame's payload has no room past its length (see
				// parseFrame), so appending a fragment copies it: no copy
				// for a message of one frame.
				open, binary, payload = true, f.Opcode == frame.OpBinary, f.Payload
				v.Reset()
			} else {
				payload = append(payload, f.Payload...)
			}
			if !binary && (!v.Write(f.Payload) || f.Fin && !v.Complete()) {
				c.setOnce(&c.textUTF8, where, ": a text message that is not UTF-8")
			}
			if f.Fin {
				open = false
				c.echoed = append(c.echoed, Message{Binary: binary, Payload: payload})
			}
		}
	}
}

// setOnce sets *dst to where() and what unless it is set.
func (c *check) setOnce(dst *string, where func() string, what string) {
	if *dst == "" {
		*dst = where() + what
	}
}
