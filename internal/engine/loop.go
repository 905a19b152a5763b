package engine

import "context"

// post runs f on the loop, unless the loop has ended.
func (c *Conn) post(f func()) {
	select {
	case c.events <- f:
	case <-c.quit:
	}
}

// Post runs f on the connection's loop, from any goroutine; it does nothing
// once the connection has ended.
func (c *Conn) Post(f func()) { c.post(f) }

// postData hands what the reader read (or the loss of TCP) to the loop,
// unless the loop has ended. The short queue bounds what is read ahead.
func (c *Conn) postData(f func()) {
	select {
	case c.data <- f:
	case <-c.quit:
	}
}

// next is what the loop runs next: timers and posted functions before what
// the reader read, as a reactor runs its due timers before it reads, so that
// a peer that floods cannot hold the case's timers back.
func (c *Conn) next() func() {
	select {
	case f := <-c.events:
		return f
	default:
	}
	select {
	case f := <-c.events:
		return f
	case f := <-c.data:
		return f
	}
}

// run reads until TCP is lost and runs the loop; it returns when the
// connection is closed and every goroutine it started has ended.
func (c *Conn) run(ctx context.Context, start func()) {
	readerDone := make(chan struct{})
	go c.read(readerDone)
	stop := context.AfterFunc(ctx, func() {
		c.post(func() {
			if c.state != StateClosed {
				c.cancelled = true
				c.setNotClean("harness: run cancelled")
				c.DropConnection(true)
			}
		})
	})
	defer stop()
	if c.opts.OpenHandshakeTimeout > 0 {
		c.after(c.opts.OpenHandshakeTimeout, c.onOpenHandshakeTimeout)
	}
	if c.opts.HardTimeout > 0 {
		c.after(c.opts.HardTimeout, c.onHardTimeout)
	}
	// What a turn of the loop writes reaches the wire when the turn ends, so
	// that an abort in the same turn discards it, as a buffered transport
	// does; the wire log has it when it was written.
	c.turn(start)
	for !c.lost {
		c.turn(c.next())
	}
	for _, t := range c.timers {
		t.Stop()
	}
	c.quitOnce.Do(func() { close(c.quit) })
	c.w.Close(true, 0)
	<-c.w.Done()
	<-readerDone
	c.helpers.Wait()
}

// turn runs f as one turn of the loop: the writer holds what f writes until
// f returns.
func (c *Conn) turn(f func()) {
	c.w.Hold()
	f()
	c.w.Release()
}

// Go runs f on a goroutine of its own, for work that need not wait on the
// loop (compressing the next message while the peer echoes). The
// connection's run returns only once f has returned, so f must end by
// itself; it hands its result to the loop with Post or a channel.
func (c *Conn) Go(f func()) {
	c.helpers.Add(1)
	go func() {
		defer c.helpers.Done()
		f()
	}()
}

// readSize is the size of a read; readBuffers is how many read buffers of a
// connection circulate between the reader and the loop.
const (
	readSize    = 65536
	readBuffers = 4
)

// read reads until TCP is lost. It reads into one of the buffers that
// circulate, when one is free (the loop hands them back, see releaseRead),
// and hands it over as it is; else it reads into a buffer of its own and
// hands over a copy of what it read.
func (c *Conn) read(done chan struct{}) {
	defer close(done)
	own := make([]byte, readSize)
	made := 0
	for {
		var buf []byte
		select {
		case buf = <-c.rxFree:
		default:
			if made < readBuffers {
				buf, made = make([]byte, readSize), made+1
			}
		}
		circulates := buf != nil
		if !circulates {
			buf = own
		}
		n, err := c.nc.Read(buf[:readSize])
		if n > 0 && c.opts.Activity != nil {
			c.opts.Activity()
		}
		switch {
		case n > 0 && circulates:
			data := buf[:n]
			c.postData(func() { c.dataReceived(data, true) })
		case n > 0:
			data := append([]byte(nil), buf[:n]...)
			c.postData(func() { c.dataReceived(data, false) })
		case circulates:
			c.rxFree <- buf // it was just taken: there is room
		}
		if err != nil {
			c.postData(func() { c.connectionLost(err) })
			return
		}
	}
}
