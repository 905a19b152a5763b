package engine

import (
	"errors"
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// Frame is a raw frame to send. Payload is repeated to RepeatLen octets when
// RepeatLen is set. Chop > 0 writes the frame in chops of that many octets;
// Sync writes it as a write of its own.
type Frame struct {
	Opcode    byte
	Fin       bool
	RSV       byte
	Payload   []byte
	RepeatLen *int
	Chop      int
	Sync      bool
}

// masking reports whether frames the fuzzer sends are masked.
func (c *Conn) masking() bool { return !c.isServer && c.opts.MaskClientFrames }

func (c *Conn) newMask() [4]byte {
	var m [4]byte
	v := c.rnd.Uint32()
	m[0], m[1], m[2], m[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	return m
}

// chopFor picks the chop size of a frame: the options may force one.
func (c *Conn) chopFor(asked int) int {
	switch {
	case c.opts.ForceChop > 0 && c.chopRnd != nil:
		return 1 + c.chopRnd.Intn(c.opts.ForceChop)
	case c.opts.ForceChop > 0:
		return c.opts.ForceChop
	}
	return asked
}

// SendFrame sends f whatever the state, as the fuzzer's raw frame writer does:
// it may be invalid on purpose. It returns an error only for a frame that
// cannot be built.
func (c *Conn) SendFrame(f Frame) error {
	_, err := c.sendFrame(nil, f)
	return err
}

// sendFrame encodes f at the end of dst and sends it; the writer gets the
// frame's own part of dst, so a message's frames can share one buffer.
func (c *Conn) sendFrame(dst []byte, f Frame) ([]byte, error) {
	pl := f.Payload
	if f.RepeatLen != nil {
		var err error
		if pl, err = frame.Repeat(f.Payload, *f.RepeatLen); err != nil {
			return dst, fmt.Errorf("engine: send frame: %w", err)
		}
	}
	h := frame.Header{Opcode: f.Opcode, Fin: f.Fin, RSV: f.RSV, Length: uint64(len(pl))}
	var mask *[4]byte
	if c.masking() {
		h.Masked, h.Mask = true, c.newMask()
		mask = &h.Mask
	}
	if dst == nil {
		dst = make([]byte, 0, frame.MaxHeaderLen+len(pl))
	}
	start := len(dst)
	dst = frame.AppendFrame(dst, h, pl)
	raw := dst[start:len(dst):len(dst)]
	if f.Opcode <= frame.OpBinary {
		c.traffic.OutgoingWebSocketFrames++
	}
	chopSize := c.chopFor(f.Chop)
	f.Sync = f.Sync || c.opts.ForceSync
	c.rec.frame(c.rec.txFrames, f.Opcode, func() wirelog.Entry {
		var chopPtr *int
		if chopSize > 0 {
			n := chopSize // only a logged frame needs it on the heap
			chopPtr = &n
		}
		return wirelog.TxFrameEntry(f.Opcode, f.Fin, f.RSV, mask, f.Payload, f.RepeatLen, chopPtr, f.Sync)
	})
	c.sendData(raw, f.Sync, chopSize)
	return dst, nil
}

func (c *Conn) sendData(p []byte, sync bool, chopSize int) {
	switch c.state {
	case StateOpen:
		c.traffic.OutgoingOctetsWireLevel += int64(len(p))
	case StateConnecting:
		c.traffic.PreopenOutgoingOctetsWire += int64(len(p))
	}
	c.w.Send(p, sync, chopSize)
}

// SendMessage sends a message when the connection is open: compressed when
// an extension was negotiated, fragmented in pieces of fragmentSize (or the
// auto-fragment size) when larger. When the length is an exact multiple of
// the fragment size an empty final frame follows, as in the real fuzzer.
func (c *Conn) SendMessage(payload []byte, binary bool, fragmentSize int, sync bool) error {
	if c.state != StateOpen {
		return nil
	}
	if c.pmce == nil {
		return c.sendMessage(payload, payload, 0, binary, fragmentSize, sync)
	}
	out, err := c.pmce.CompressMessage(payload)
	if err != nil {
		return fmt.Errorf("engine: compress message: %w", err)
	}
	return c.sendMessage(payload, out, 4, binary, fragmentSize, sync)
}

// SendCompressedMessage sends, as SendMessage does, a message that was
// compressed ahead (on a goroutine of Go) with the connection's
// Compression: payload is the message, compressed what CompressMessage made
// of it. Messages must be sent in the order they were compressed in.
func (c *Conn) SendCompressedMessage(payload, compressed []byte, binary bool, fragmentSize int, sync bool) error {
	if c.state != StateOpen {
		return nil
	}
	if c.pmce == nil {
		return errors.New("engine: send compressed message: no compression was negotiated")
	}
	return c.sendMessage(payload, compressed, 4, binary, fragmentSize, sync)
}

// sendMessage sends the message payload as wire, the octets of its frames
// (compressed when rsv is 4), all encoded into one buffer (see txBuffers).
func (c *Conn) sendMessage(payload, wire []byte, rsv byte, binary bool, fragmentSize int, sync bool) error {
	op := frame.OpText
	if binary {
		op = frame.OpBinary
	}
	c.traffic.OutgoingWebSocketMessages++
	c.traffic.OutgoingOctetsAppLevel += int64(len(payload))
	c.traffic.OutgoingOctetsWebSocketLevel += int64(len(wire))
	pfs := fragmentSize
	if pfs <= 0 {
		pfs = c.opts.AutoFragmentSize
	}
	if pfs <= 0 || len(wire) <= pfs {
		buf, err := c.sendFrame(c.tx.get(frame.MaxHeaderLen+len(wire)), Frame{Opcode: op, Fin: true, RSV: rsv, Payload: wire, Sync: sync})
		c.tx.sent(buf)
		return err
	}
	buf := c.tx.get(len(wire) + (len(wire)/pfs+1)*frame.MaxHeaderLen)
	defer func() { c.tx.sent(buf) }()
	for i := 0; ; i += pfs {
		j := i + pfs
		done := j > len(wire)
		if done {
			j = len(wire)
		}
		f := Frame{Opcode: frame.OpContinuation, Fin: done, Payload: wire[i:j], Sync: sync}
		if i == 0 {
			f.Opcode, f.RSV = op, rsv
		}
		var err error
		if buf, err = c.sendFrame(buf, f); err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// SendPong answers with a pong when open.
func (c *Conn) SendPong(payload []byte) {
	if c.state == StateOpen {
		_ = c.SendFrame(Frame{Opcode: frame.OpPong, Fin: true, Payload: payload})
	}
}

// SendPing sends a ping when open.
func (c *Conn) SendPing(payload []byte) {
	if c.state == StateOpen {
		_ = c.SendFrame(Frame{Opcode: frame.OpPing, Fin: true, Payload: payload})
	}
}

// SendClose starts the closing handshake with a valid close: code nil sends
// an empty close frame. A reason longer than 123 octets is cut to 120 plus
// "...".
func (c *Conn) SendClose(code *int, reason string) {
	var r []byte
	if code != nil && reason != "" {
		r = []byte(reason)
		if len(r)+2 > 125 {
			r = append(r[:120:120], "..."...)
		}
	}
	c.SendCloseFrame(code, r, false)
}

// SendCloseFrame sends a close frame when open, which may be invalid on
// purpose (a reason without a code, an invalid code or reason), and moves to
// CLOSING. A close the fuzzer starts (not a reply) arms the close handshake
// timeout.
func (c *Conn) SendCloseFrame(code *int, reason []byte, isReply bool) {
	if c.state != StateOpen {
		return
	}
	_ = c.SendFrame(Frame{Opcode: frame.OpClose, Fin: true, Payload: frame.ClosePayload(code, reason)})
	c.state = StateClosing
	c.flags.ClosedByMe = !isReply
	c.flags.LocalCloseCode = code
	c.flags.LocalCloseReason = reason
	if !isReply && c.opts.CloseHandshakeTimeout > 0 {
		c.after(c.opts.CloseHandshakeTimeout, c.onCloseHandshakeTimeout)
	}
}

// stream is the state of a message sent with the streaming API
// (BeginMessage, BeginMessageFrame, SendMessageFrameData).
type stream struct {
	opcode    byte     // of the next frame
	mask      *[4]byte // the current frame's mask key, nil when unmasked
	pos       int      // position in the current frame's payload
	remaining uint64   // octets of the current frame's payload not sent yet
}

// BeginMessage starts a streamed message (when open).
func (c *Conn) BeginMessage(binary bool) {
	if c.state != StateOpen {
		return
	}
	c.stream.opcode = frame.OpText
	if binary {
		c.stream.opcode = frame.OpBinary
	}
	c.traffic.OutgoingWebSocketMessages++
}

// BeginMessageFrame writes only the header of a frame announcing length
// octets; SendMessageFrameData writes its payload later.
func (c *Conn) BeginMessageFrame(length int) {
	if c.state != StateOpen {
		return
	}
	c.traffic.OutgoingWebSocketFrames++
	h := frame.Header{Opcode: c.stream.opcode, Length: uint64(length)}
	c.stream.opcode = frame.OpContinuation
	c.stream.mask = nil
	if c.masking() {
		m := c.newMask()
		c.stream.mask = &m
		h.Masked, h.Mask = true, m
	}
	c.stream.pos = 0
	c.stream.remaining = uint64(length)
	c.sendData(frame.AppendHeader(nil, h), false, 0)
}

// SendMessageFrameData writes the next payload piece of the current frame,
// cut to what the header announced.
func (c *Conn) SendMessageFrameData(payload []byte) {
	if c.state != StateOpen {
		return
	}
	if uint64(len(payload)) > c.stream.remaining {
		payload = payload[:c.stream.remaining]
	}
	p := append([]byte(nil), payload...)
	if c.stream.mask != nil {
		c.stream.pos = frame.Mask(*c.stream.mask, c.stream.pos, p)
	}
	c.stream.remaining -= uint64(len(p))
	c.traffic.OutgoingOctetsWebSocketLevel += int64(len(p))
	c.traffic.OutgoingOctetsAppLevel += int64(len(p))
	c.sendData(p, false, 0)
}

// EndMessage ends a streamed message with an empty final continuation frame.
func (c *Conn) EndMessage() {
	if c.state != StateOpen {
		return
	}
	_ = c.SendFrame(Frame{Opcode: frame.OpContinuation, Fin: true})
}
