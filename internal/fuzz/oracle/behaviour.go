package oracle

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// panicked: the peer must not panic.
func panicked(c *check) string {
	if c.obs.Panic != "" {
		return "the peer panicked: " + c.obs.Panic
	}
	return ""
}

// hung: RFC 6455 5.5.1 (after both closes an endpoint must close the TCP
// connection) and 7.1.7 (failing the connection closes it); after a
// half-close the peer reads the end of the stream and must give up.
func hung(c *check) string {
	if c.obs.Hang {
		return c.obs.HangDetail
	}
	return ""
}

// notReturned: the handler or client must return once its connection is
// closed, so that no goroutine is left behind.
func notReturned(c *check) string {
	if c.obs.NoReturn {
		return "the handler or client was still running after the connection had been closed"
	}
	return ""
}

// echo: the messages echoed are the messages sent before the first
// violation and the first close, in order and unchanged (RFC 6455 6.2
// delivers each message whole, 5.4 keeps fragments in order).
func echo(c *check) string {
	for i, m := range c.echoed {
		if i >= len(c.sent.Messages) {
			if c.sent.Violation == 0 && !c.isLater(m) && !c.isUnfinished(i, m) {
				return fmt.Sprintf("echo %d (%v) was never sent: %d message(s) were sent before the close", i+1, m, len(c.sent.Messages))
			}
			return ""
		}
		if want := c.sent.Messages[i]; m.Binary != want.Binary || !bytes.Equal(m.Payload, want.Payload) {
			return fmt.Sprintf("echo %d is a %v, the message sent was a %v", i+1, m, want)
		}
	}
	return ""
}

// noEchoAfter: RFC 6455 7.1.7, once it must fail the connection the peer
// processes no more data, so it echoes nothing sent after the violation.
func noEchoAfter(c *check) string {
	if c.sent.Violation == 0 || len(c.echoed) <= len(c.sent.Messages) {
		return ""
	}
	m := c.echoed[len(c.sent.Messages)]
	return fmt.Sprintf("echo %d (%v) came after the violation at %s: %s", len(c.sent.Messages)+1, m, actionRef(c.sent.Violation), c.sent.Why)
}

// unfinished: RFC 6455 6.2 (a fragmented message has been received when
// its final fragment is) and 5.4: a message whose final fragment never came
// before the close or the end of the connection was never received, so an
// echo peer does not echo it, nor what it had of it.
func unfinished(c *check) string {
	i := len(c.sent.Messages)
	if i >= len(c.echoed) || !c.isUnfinished(i, c.echoed[i]) {
		return ""
	}
	ended := "the connection ended"
	if c.sent.Close != 0 {
		ended = "the close at " + actionRef(c.sent.Close) + " came"
	}
	return fmt.Sprintf("echo %d (%v) is the message begun at %s, whose final fragment never came: %s first", i+1, c.echoed[i], actionRef(c.sent.UnfinishedAction), ended)
}

// isUnfinished reports whether m, echo i, is what the peer had of the
// unfinished message: it comes after the messages sent and is of the
// unfinished message's type, its payload a start of that message's.
func (c *check) isUnfinished(i int, m Message) bool {
	u := c.sent.Unfinished
	return u != nil && i == len(c.sent.Messages) && m.Binary == u.Binary && bytes.HasPrefix(u.Payload, m.Payload)
}

func (c *check) isLater(m Message) bool {
	for _, l := range c.sent.Later {
		if l.Binary == m.Binary && bytes.Equal(l.Payload, m.Payload) {
			return true
		}
	}
	return false
}

// pong: RFC 6455 5.5.2 (a ping must be answered with a pong of its payload
// unless a close was received) and 5.5.3 (only the latest ping may be
// answered). The latest ping before anything the peer may fail on and
// before the close must be answered, unless the peer gave up first: it
// closed with a code of its own (1001, 1008, 1009, 1011 and the like) or
// had not echoed the messages sent before the ping.
func pong(c *check) string {
	if !c.sent.HasPing || c.gaveUp() || len(c.echoed) < c.sent.MessagesBeforePing || c.lostEnd() {
		return ""
	}
	for _, p := range c.pongs {
		if bytes.Equal(p, c.sent.Ping) {
			return ""
		}
	}
	return fmt.Sprintf("no pong with the payload %q of the ping at %s (pongs seen: %d)", c.sent.Ping, actionRef(c.sent.PingAction), len(c.pongs))
}

// closeReply: RFC 6455 5.5.1, a close frame is answered with a close frame
// unless the peer had sent one.
func closeReply(c *check) string {
	if !c.sent.CloseValid || c.closeFrame >= 0 || c.lostEnd() {
		return ""
	}
	return fmt.Sprintf("the valid close at %s got no close frame back", actionRef(c.sent.Close))
}

// lostEnd reports whether the end of what the peer sent may be lost: the
// peer reset the TCP connection after the fuzzer's close frame with frames
// the fuzzer sent after it. A peer may close the TCP connection once the
// closing handshake is done (RFC 6455 7.1.1 only says the client SHOULD
// wait for the server to close first), and closing a socket with unread
// octets sends a reset (RFC 9293 3.6, RFC 2525 2.17), on which the
// fuzzer's side discards what it had not read yet: the close reply and a
// pong before it may be gone, so their absence proves nothing.
func (c *check) lostEnd() bool {
	return c.obs.Reset && c.sent.AfterClose
}

// gaveUp reports whether the peer closed for a reason of its own: a close
// code other than 1000 (or none), which are the answers to the fuzzer's
// close.
func (c *check) gaveUp() bool {
	if c.closeFrame < 0 {
		return false
	}
	p := c.frames[c.closeFrame].Payload
	return len(p) >= 2 && binary.BigEndian.Uint16(p) != 1000
}
