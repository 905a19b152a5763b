package play

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Pipe returns the two ends of an in-memory connection. Unlike net.Pipe,
// a write never blocks (it is queued whole, and a read returns at most one
// write, so chopping reaches the reader as written), either end can shut
// its writing side alone (CloseWrite, a TCP half-close), and read deadlines
// work as on a TCP connection.
func Pipe() (*Conn, *Conn) {
	ab, ba := newQueue(), newQueue()
	return &Conn{in: ba, out: ab, name: "fuzzer", owned: true}, &Conn{in: ab, out: ba, name: "peer"}
}

// queue is one direction of a Pipe.
type queue struct {
	mu       sync.Mutex
	chunks   [][]byte
	eof      bool      // the writing end shut or closed
	closed   bool      // the reading end closed: reads and writes fail
	deadline time.Time // the reading end's read deadline
	waiting  bool      // a reader waits on wake
	wake     chan struct{}
}

func newQueue() *queue { return &queue{wake: make(chan struct{})} }

// signal wakes a blocked reader; q.mu is held.
func (q *queue) signal() {
	if q.waiting {
		close(q.wake)
		q.wake, q.waiting = make(chan struct{}), false
	}
}

// Conn is one end of a Pipe. It implements net.Conn.
type Conn struct {
	in, out *queue
	name    string
	// owned: the writer never reuses what it wrote (the fuzzer's writes),
	// so Write queues p itself instead of a copy.
	owned bool

	mu        sync.Mutex
	wdeadline time.Time
}

// Read reads the next write of the other end, or what is left of it.
func (c *Conn) Read(p []byte) (int, error) {
	q := c.in
	for {
		q.mu.Lock()
		switch {
		case q.closed:
			q.mu.Unlock()
			return 0, net.ErrClosed
		case len(q.chunks) > 0:
			n := copy(p, q.chunks[0])
			if q.chunks[0] = q.chunks[0][n:]; len(q.chunks[0]) == 0 {
				q.chunks[0] = nil
				q.chunks = q.chunks[1:]
			}
			q.mu.Unlock()
			return n, nil
		case q.eof:
			q.mu.Unlock()
			return 0, io.EOF
		}
		wake, deadline := q.wake, q.deadline
		q.waiting = true
		q.mu.Unlock()
		if err := wait(wake, deadline); err != nil {
			return 0, err
		}
	}
}

// wait waits for wake or the deadline.
func wait(wake chan struct{}, deadline time.Time) error {
	if deadline.IsZero() {
		<-wake
		return nil
	}
	d := time.Until(deadline)
	if d <= 0 {
		return os.ErrDeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-wake:
	case <-t.C:
	}
	return nil
}

// Write queues p for the other end (a copy of it unless the end is the
// fuzzer's).
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	dl := c.wdeadline
	c.mu.Unlock()
	if !dl.IsZero() && !time.Now().Before(dl) {
		return 0, os.ErrDeadlineExceeded
	}
	q := c.out
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.eof:
		return 0, net.ErrClosed
	case q.closed:
		return 0, io.ErrClosedPipe
	}
	if len(p) > 0 {
		if !c.owned {
			p = append([]byte(nil), p...)
		}
		q.chunks = append(q.chunks, p)
		q.signal()
	}
	return len(p), nil
}

// CloseWrite shuts this end's writing side: the other end reads EOF once
// it has read what was written.
func (c *Conn) CloseWrite() error {
	q := c.out
	q.mu.Lock()
	defer q.mu.Unlock()
	q.eof = true
	q.signal()
	return nil
}

// Close closes both sides of this end.
func (c *Conn) Close() error {
	c.CloseWrite()
	q := c.in
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed, q.chunks = true, nil
	q.signal()
	return nil
}

// LocalAddr names this end.
func (c *Conn) LocalAddr() net.Addr { return addr(c.name) }

// RemoteAddr names the other end.
func (c *Conn) RemoteAddr() net.Addr {
	if c.name == "fuzzer" {
		return addr("peer")
	}
	return addr("fuzzer")
}

// SetDeadline sets the read and write deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.SetReadDeadline(t)
	return c.SetWriteDeadline(t)
}

// SetReadDeadline sets the time after which a blocked or later Read fails
// with os.ErrDeadlineExceeded.
func (c *Conn) SetReadDeadline(t time.Time) error {
	q := c.in
	q.mu.Lock()
	defer q.mu.Unlock()
	q.deadline = t
	q.signal()
	return nil
}

// SetWriteDeadline sets the time after which Write fails (writes never
// block, so only a deadline already past matters).
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wdeadline = t
	return nil
}

// addr is the address of a Pipe's end.
type addr string

func (a addr) Network() string { return "pipe" }
func (a addr) String() string  { return string(a) }
