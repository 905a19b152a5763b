package engine

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// receiving is the state of the receive path: the frame being received and
// the data message it belongs to. Conn embeds it, as the frame reader's own
// fields.
type receiving struct {
	cur     *rxFrame // &rxCur while a frame is being received
	rxCur   rxFrame
	ctlData []byte // the payload of the control frame being received

	insideMessage bool
	msgBinary     bool
	msgParts      [][]byte // the message's payload, in the pieces it arrived in
	msgTotal      uint64   // the message's length so far, as its headers announced
	frameStart    int      // index in msgParts of the current frame's first piece
	compressedIn  bool
	validateUTF8  bool
	utf8          utf8stream.Validator
}

// startMessage begins a message with the first frame's header.
func (r *receiving) startMessage(h frame.Header, compressed, validateUTF8 bool) {
	r.insideMessage = true
	r.compressedIn = compressed
	r.validateUTF8 = validateUTF8
	if validateUTF8 {
		r.utf8.Reset()
	}
	r.msgBinary = h.Opcode == frame.OpBinary
	r.msgParts = r.msgParts[:0]
	r.msgTotal = 0
}

// endMessage ends the message and returns its payload, joined.
func (r *receiving) endMessage() (payload []byte, binary bool) {
	payload = join(r.msgParts)
	clear(r.msgParts) // the pieces are the handler's or garbage now
	r.msgParts = r.msgParts[:0]
	r.insideMessage = false
	return payload, r.msgBinary
}

// holdsReceived reports whether the message keeps received octets as they
// arrived: uncompressed pieces of a message in progress.
func (r *receiving) holdsReceived() bool {
	return r.insideMessage && !r.compressedIn && len(r.msgParts) > 0
}

// rxFrame is a frame being received: its header, and how much of its
// payload arrived.
type rxFrame struct {
	frame.Header
	pos uint64
}

// dataReceived takes what the reader read; circulates says data is one of
// the read buffers that go back to the reader once the loop is done with it.
func (c *Conn) dataReceived(data []byte, circulates bool) {
	if circulates {
		c.rxHeld = append(c.rxHeld, data)
		defer c.releaseRead()
	}
	if c.state == StateClosed {
		return // TCP is being dropped; nothing more is read
	}
	switch c.state {
	case StateOpen:
		c.traffic.IncomingOctetsWireLevel += int64(len(data))
	case StateConnecting:
		c.traffic.PreopenIncomingOctetsWire += int64(len(data))
	}
	c.rec.rxOctet(data)
	if len(c.rx) == 0 {
		c.rx = data // the reader hands over a buffer of its own: no copy
	} else {
		c.rx = append(c.rx, data...)
	}
	c.consume()
}

// releaseRead hands the read buffers the loop holds back to the reader
// once nothing refers to them any more: nothing of them waits in the
// receive buffer, and no piece of an uncompressed message in progress
// (kept as it arrived) may lie in them. Handlers had the octets only during
// their calls; the wire log, control frames and the decompressor copy what
// they keep.
func (c *Conn) releaseRead() {
	if len(c.rx) > 0 || c.holdsReceived() {
		return
	}
	for i, b := range c.rxHeld {
		select {
		case c.rxFree <- b[:0]:
		default:
		}
		c.rxHeld[i] = nil
	}
	c.rxHeld = c.rxHeld[:0]
}

func (c *Conn) consume() {
	switch c.state {
	case StateOpen, StateClosing:
		for c.processData() && c.state != StateClosed {
		}
	case StateConnecting:
		if c.isServer {
			c.serverHandshake()
		} else {
			c.clientHandshakeResponse()
		}
	}
}

// maxControlKept bounds what is kept of a control frame's payload. Only a
// peer that sends one over 125 octets (a violation) reaches it, and a
// payload cut to it is still longer than any valid one, so it can match no
// expected pong.
const maxControlKept = 1 << 16

// processData handles the next header or payload piece in the receive buffer
// and reports whether it should be called again. Like the real fuzzer, a
// violation fails the connection but the offending frame is still processed
// (unless failing by drop), so that the close reply can be read afterwards.
func (c *Conn) processData() bool {
	if c.cur != nil {
		return c.processPayload()
	}
	// The header is decoded in place: rxCur is free until cur points to it.
	h := &c.rxCur.Header
	n, ok, err := h.Parse(c.rx)
	if n == 0 {
		return false
	}
	rsv, op := h.RSV, h.Opcode

	// The checks of the real fuzzer, in its order; a reason with %d takes
	// arg. Reasons are formatted only for a violation. They run each time
	// more of a header arrives, as in the real fuzzer.
	type check struct {
		bad    bool
		reason string
		arg    byte
	}
	checks := [9]check{
		{rsv != 0 && !(c.pmce != nil && rsv == 4), "RSV = %d and no extension negotiated", rsv},
		{c.isServer && c.opts.RequireMaskedClientFrames && !h.Masked, "unmasked client-to-server frame", 0},
		{!c.isServer && !c.opts.AcceptMaskedServerFrames && h.Masked, "masked server-to-client frame", 0},
	}
	if frame.IsControl(op) {
		checks[3] = check{!h.Fin, "fragmented control frame", 0}
		checks[4] = check{h.LengthField > 125, "control frame with payload length > 125 octets", 0}
		checks[5] = check{op != frame.OpClose && op != frame.OpPing && op != frame.OpPong, "control frame using reserved opcode %d", op}
		checks[6] = check{op == frame.OpClose && h.LengthField == 1, "received close control frame with payload len 1", 0}
		checks[7] = check{c.pmce != nil && rsv == 4, "received compressed control frame [permessage-deflate]", 0}
	} else {
		checks[3] = check{op > 2, "data frame using reserved opcode %d", op}
		checks[4] = check{!c.insideMessage && op == 0, "received continuation data frame outside fragmented message", 0}
		checks[5] = check{c.insideMessage && op != 0, "received non-continuation data frame while inside fragmented message", 0}
		checks[6] = check{c.pmce != nil && rsv == 4 && c.insideMessage, "received continuation data frame with compress bit set [permessage-deflate]", 0}
	}
	for i := range checks {
		ch := &checks[i]
		if !ch.bad {
			continue
		}
		reason := ch.reason
		if strings.Contains(reason, "%d") {
			reason = fmt.Sprintf(reason, ch.arg)
		}
		if c.protocolViolation(reason) {
			return false
		}
	}
	if !ok {
		return false
	}
	switch err {
	case frame.ErrNonMinimalLength:
		if c.protocolViolation("invalid data frame length (not using minimal length encoding)") {
			return false
		}
	case frame.ErrLengthTooLarge:
		if c.protocolViolation("invalid data frame length (>2^63)") {
			return false
		}
	}
	c.rx = c.rx[n:]
	c.rxCur.pos = 0
	c.cur = &c.rxCur
	c.onFrameBegin()
	return h.Length == 0 || len(c.rx) > 0
}

func (c *Conn) processPayload() bool {
	f := c.cur
	n := f.Length - f.pos
	if uint64(len(c.rx)) < n {
		n = uint64(len(c.rx))
	}
	// The receive buffer is ours alone and this part of it is consumed:
	// unmask in place; whoever keeps the payload copies it.
	payload := c.rx[:n:n]
	c.rx = c.rx[n:]
	if f.Masked {
		frame.Mask(f.Mask, int(f.pos&3), payload)
	}
	f.pos += n
	if !c.onFrameData(payload) {
		return false
	}
	if f.pos == f.Length && !c.onFrameEnd() {
		return false
	}
	return len(c.rx) > 0
}

func (c *Conn) onFrameBegin() {
	f := c.cur
	if frame.IsControl(f.Opcode) {
		c.ctlData = c.ctlData[:0]
		return
	}
	if !c.insideMessage {
		c.startMessage(f.Header, c.pmce != nil && f.RSV == 4, f.Opcode == frame.OpText && c.opts.UTF8ValidateIncoming)
		if c.compressedIn {
			c.pmce.StartDecompressMessage()
		}
	}
	c.frameStart = len(c.msgParts)
	c.msgTotal += f.Length
	if !c.flags.FailedByMe {
		switch {
		case c.opts.MaxMessagePayloadSize > 0 && c.msgTotal > uint64(c.opts.MaxMessagePayloadSize):
			c.FailConnection(frame.CloseMessageTooBig, fmt.Sprintf("message exceeds payload limit of %d octets", c.opts.MaxMessagePayloadSize))
		case c.opts.MaxFramePayloadSize > 0 && f.Length > uint64(c.opts.MaxFramePayloadSize):
			c.FailConnection(frame.ClosePolicyViolation, fmt.Sprintf("frame exceeds payload limit of %d octets", c.opts.MaxFramePayloadSize))
		}
	}
}

func (c *Conn) onFrameData(payload []byte) bool {
	f := c.cur
	if frame.IsControl(f.Opcode) {
		// A control frame over 125 octets was refused at its header; of
		// its payload keep only a bounded part.
		c.ctlData = append(c.ctlData, payload[:min(len(payload), max(0, maxControlKept-len(c.ctlData)))]...)
		return true
	}
	if c.state == StateOpen {
		c.traffic.IncomingOctetsWebSocketLevel += int64(len(payload))
	}
	if c.compressedIn {
		out, err := c.pmce.DecompressMessageData(payload)
		if err != nil {
			c.decompressionFailed(err)
			return false
		}
		payload = out
	}
	// Received octets are never overwritten; the decompressor's output
	// may be overwritten by its next piece.
	return c.messageData(payload, c.compressedIn)
}

// messageData takes the next application-level octets of a message; with
// keepCopy the message keeps a copy of them instead of payload itself.
func (c *Conn) messageData(payload []byte, keepCopy bool) bool {
	if c.state == StateOpen {
		c.traffic.IncomingOctetsAppLevel += int64(len(payload))
	}
	if c.validateUTF8 && !c.utf8.Write(payload) {
		if c.invalidPayload(fmt.Sprintf("encountered invalid UTF-8 while processing text message at payload octet index %d", c.utf8.Offset())) {
			return false
		}
	}
	if !c.flags.FailedByMe && len(payload) > 0 {
		if keepCopy {
			payload = append([]byte(nil), payload...)
		}
		// The message keeps the pieces as they are and is joined once, at
		// its end.
		c.msgParts = append(c.msgParts, payload)
	}
	return true
}

func (c *Conn) onFrameEnd() bool {
	f := c.cur
	if frame.IsControl(f.Opcode) {
		c.logRxFrame(f, c.ctlData)
		c.processControlFrame(f, append([]byte(nil), c.ctlData...))
		c.cur = nil
		return true
	}
	if c.state == StateOpen {
		c.traffic.IncomingWebSocketFrames++
	}
	if f.Fin && c.compressedIn {
		tail, err := c.pmce.EndDecompressMessage()
		if err != nil {
			c.decompressionFailed(err)
			return false
		}
		// The tail stays valid until the next message, which is after
		// the handler had it: no copy.
		if !c.messageData(tail, false) {
			return false
		}
	}
	c.logRxFrame(f, c.msgParts[c.frameStart:]...)
	if f.Fin {
		if c.validateUTF8 && !c.utf8.Complete() {
			if c.invalidPayload(fmt.Sprintf("UTF-8 text message payload ended within Unicode code point at payload octet index %d", c.utf8.Offset())) {
				return false
			}
		}
		if c.state == StateOpen {
			c.traffic.IncomingWebSocketMessages++
		}
		msg, binaryMsg := c.endMessage()
		if !c.flags.FailedByMe {
			c.handler.Message(c, msg, binaryMsg)
		}
	}
	c.cur = nil
	return true
}

// decompressionFailed ends the connection on a message that does not
// decompress. In the real fuzzer the decompressor raises inside the data
// handler, and the transport closes the connection without a close frame.
func (c *Conn) decompressionFailed(err error) {
	c.setNotClean(fmt.Sprintf("permessage-deflate: decompression failed: %v", err))
	c.closeTransport()
}

// logRxFrame logs a received frame whose payload arrived in parts; they are
// joined only when the wire log is on.
func (c *Conn) logRxFrame(f *rxFrame, parts ...[]byte) {
	c.rec.frame(c.rec.rxFrames, f.Opcode, func() wirelog.Entry {
		var mask *[4]byte
		if f.Masked {
			mask = &f.Mask
		}
		return wirelog.RxFrameEntry(f.Opcode, f.Fin, f.RSV, mask, join(parts))
	})
}

// join returns the parts as one payload, copying only when there are several.
func join(parts [][]byte) []byte {
	switch len(parts) {
	case 0:
		return []byte{}
	case 1:
		return parts[0]
	}
	return bytes.Join(parts, nil)
}

func (c *Conn) processControlFrame(f *rxFrame, payload []byte) {
	switch f.Opcode {
	case frame.OpClose:
		var code *int
		var reason []byte
		if len(payload) > 1 {
			v := int(binary.BigEndian.Uint16(payload))
			code = &v
			if len(payload) > 2 {
				reason = payload[2:]
			}
		}
		c.onCloseFrame(code, reason)
	case frame.OpPing:
		if c.state == StateOpen {
			c.SendPong(payload)
		}
	case frame.OpPong:
		c.handler.Pong(c, payload)
	}
}
