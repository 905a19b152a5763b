package engine

import (
	"fmt"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
)

// FailConnection fails the connection: with a close frame carrying code and
// reason when open, by dropping TCP when already closing or with FailByDrop.
func (c *Conn) FailConnection(code int, reason string) {
	if c.state == StateClosed {
		return
	}
	c.flags.FailedByMe = true
	switch {
	case c.opts.FailByDrop:
		c.setNotClean("I failed the WebSocket connection by dropping the TCP connection")
		c.DropConnection(true)
	case c.state == StateConnecting:
		c.DropConnection(true)
	case c.state != StateClosing:
		r := []byte(reason)
		if len(r) > 123 {
			r = r[:123]
		}
		c.SendCloseFrame(&code, r, false)
	default:
		c.DropConnection(false)
	}
}

// DropConnection closes TCP: at once with abort, else after flushing what was
// written directly.
func (c *Conn) DropConnection(abort bool) {
	if c.state == StateClosed {
		return
	}
	c.flags.DroppedByMe = true
	c.state = StateClosed
	c.closeWriter(abort)
}

// closeTransport closes TCP after an internal error, the way an exception in
// the real fuzzer's data handler does: not counted as dropped by the fuzzer.
func (c *Conn) closeTransport() {
	c.state = StateClosed
	c.closeWriter(true)
}

// closeWriter ends writing: an abort discards what this turn wrote, a
// graceful close flushes it first.
func (c *Conn) closeWriter(abort bool) {
	c.w.Close(abort, c.opts.FlushTimeout)
}

// protocolViolation fails the connection with a protocol error and reports
// whether the frame at hand must be left (when failing by drop).
func (c *Conn) protocolViolation(reason string) bool {
	c.FailConnection(1002, reason)
	return c.opts.FailByDrop
}

// invalidPayload fails the connection for invalid payload data and reports
// whether the frame at hand must be left (when failing by drop).
func (c *Conn) invalidPayload(reason string) bool {
	c.FailConnection(1007, reason)
	return c.opts.FailByDrop
}

// onCloseFrame takes the peer's close frame: it checks code and reason, and
// ends the close handshake we started or answers the one the peer starts.
func (c *Conn) onCloseFrame(code *int, reason []byte) {
	c.flags.RemoteCloseCode = code
	if code != nil && !frame.ValidReceivedCloseCode(*code) {
		if c.protocolViolation(fmt.Sprintf("invalid close code %d", *code)) {
			return
		}
	}
	c.flags.RemoteCloseReason = nil
	if reason != nil {
		if !utf8stream.Valid(reason) {
			if c.invalidPayload("invalid close reason (non-UTF-8 payload)") {
				return
			}
			// The real fuzzer then fails to decode the reason and its data
			// handler raises, which closes TCP without further ado.
			c.closeTransport()
			return
		}
		s := string(reason)
		c.flags.RemoteCloseReason = &s
	}
	switch c.state {
	case StateClosing:
		// the reply to our close
		c.closeAnswered = true
		c.flags.WasClean = true
		if c.isServer {
			c.DropConnection(true)
		} else if c.opts.ServerConnectionDropTimeout > 0 {
			c.after(c.opts.ServerConnectionDropTimeout, c.onServerConnectionDropTimeout)
		}
	case StateOpen:
		// the peer starts the close handshake
		c.flags.WasClean = true
		if c.opts.EchoCloseCodeReason {
			var r []byte
			if c.flags.RemoteCloseReason != nil {
				r = []byte(*c.flags.RemoteCloseReason)
			}
			c.SendCloseFrame(code, r, true)
		} else {
			normal := frame.CloseNormal
			c.SendCloseFrame(&normal, nil, true)
		}
		if c.isServer {
			c.DropConnection(false)
		}
	case StateClosed:
		c.flags.WasClean = false
	}
}

// setNotClean records why the close was not clean.
func (c *Conn) setNotClean(reason string) {
	c.flags.WasClean = false
	c.flags.WasNotCleanReason = &reason
}

// connectionLost ends the loop once TCP is lost; lost without a close
// handshake and not dropped by the fuzzer, the close was not clean.
func (c *Conn) connectionLost(error) {
	if c.lost {
		return
	}
	c.state = StateClosed
	if !c.flags.WasClean && !c.flags.DroppedByMe && c.flags.WasNotCleanReason == nil {
		c.setNotClean("peer dropped the TCP connection without previous WebSocket closing handshake")
	}
	c.timing.Lost = time.Now()
	c.lost = true
}
