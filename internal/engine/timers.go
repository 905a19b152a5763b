package engine

import (
	"fmt"
	"time"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// Limited is implemented by handlers that bound how long their connection may
// stay up once open; past that the connection is dropped.
type Limited interface {
	HardTimeout() time.Duration
}

// after runs f on the loop after d, unless the connection is gone by then.
func (c *Conn) after(d time.Duration, f func()) {
	t := time.AfterFunc(d, func() { c.post(f) })
	c.timers = append(c.timers, t)
}

// KillAfter fails the connection (close 1001 "Going Away") after d, unless it
// is closed by then.
func (c *Conn) KillAfter(d time.Duration) {
	c.rec.add(wirelog.TimerEntry(wirelog.Kill, d.Seconds()), true)
	c.after(d, func() {
		if c.state != StateClosed {
			c.rec.add(wirelog.TimerEntry(wirelog.KillFired, 0), true)
			c.FailConnection(1001, "Going Away")
		}
	})
}

// CloseAfter starts a close handshake with an empty close frame after d,
// unless the connection is closed by then.
func (c *Conn) CloseAfter(d time.Duration) {
	c.rec.add(wirelog.TimerEntry(wirelog.CloseTimer, d.Seconds()), true)
	c.after(d, func() {
		if c.state != StateClosed {
			c.rec.add(wirelog.TimerEntry(wirelog.CloseFired, 0), true)
			c.SendClose(nil, "")
		}
	})
}

// ContinueLater runs f after d, unless the connection is closed by then. tag
// names the continuation in the wire log; nil logs null.
func (c *Conn) ContinueLater(d time.Duration, tag *string, f func()) {
	c.rec.add(wirelog.ContinueEntry(wirelog.Continue, d.Seconds(), tag), true)
	c.after(d, func() {
		if c.state != StateClosed {
			c.rec.add(wirelog.ContinueEntry(wirelog.ContinueFired, 0, tag), true)
			f()
		}
	})
}

func (c *Conn) onOpenHandshakeTimeout() {
	if c.state == StateConnecting {
		c.setNotClean("peer did not finish (in time) the opening handshake")
		c.flags.WasOpenHandshakeTimeout = true
		c.DropConnection(true)
	}
}

func (c *Conn) onCloseHandshakeTimeout() {
	if c.state != StateClosed && !c.closeAnswered {
		c.setNotClean("peer did not respond (in time) in closing handshake")
		c.flags.WasCloseHandshakeTimeout = true
		c.DropConnection(true)
	}
}

func (c *Conn) onServerConnectionDropTimeout() {
	if c.state != StateClosed {
		c.setNotClean("server did not drop TCP connection (in time)")
		c.flags.WasServerConnectionDropTimeout = true
		c.DropConnection(true)
	}
}

func (c *Conn) onHardTimeout() {
	if c.state != StateClosed {
		c.setNotClean(fmt.Sprintf("harness: connection still up after its hard limit of %v", c.opts.HardTimeout))
		c.DropConnection(true)
	}
}
