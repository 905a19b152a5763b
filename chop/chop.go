// Package chop writes octets to a connection the way the Autobahn fuzzer does:
// a frame as one write, as a "sync" write of its own, or cut into chops of N
// octets, each its own write, with a short scheduling gap after every queued
// write so that each reaches the wire separately. It also counts octets per
// write or read size for the wire statistics.
package chop

import (
	"net"
	"runtime"
	"sync"
	"time"
)

// DefaultGap is the pause after each queued write: the real fuzzer re-enters
// its event loop after 10 µs.
const DefaultGap = 10 * time.Microsecond

// Split cuts p into chops of size n (the last may be shorter). n < 1 gives p
// whole.
func Split(p []byte, n int) [][]byte {
	if n < 1 || len(p) <= n {
		return [][]byte{p}
	}
	out := make([][]byte, 0, (len(p)+n-1)/n)
	for i := 0; i < len(p); i += n {
		out = append(out, p[i:min(i+n, len(p))])
	}
	return out
}

// Pause waits about d. Short gaps yield the processor in a loop instead of
// sleeping, because a sleep below a millisecond lasts far longer than asked.
func Pause(d time.Duration) {
	if d <= 0 {
		runtime.Gosched()
		return
	}
	if d >= time.Millisecond {
		time.Sleep(d)
		return
	}
	start := time.Now()
	for time.Since(start) < d {
		runtime.Gosched()
	}
}

// SetNoDelay turns Nagle's algorithm off on TCP connections, so that every
// write leaves as its own segment.
func SetNoDelay(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
}

// Stats counts events by size: octets per write or per read size, or frames
// per opcode.
type Stats map[int]int

// Add counts one event of size n.
func (s Stats) Add(n int) { s[n]++ }

// Total is the sum of size × count, the number of octets counted.
func (s Stats) Total() int {
	t := 0
	for n, c := range s {
		t += n * c
	}
	return t
}

// Count is the number of events counted.
func (s Stats) Count() int {
	t := 0
	for _, c := range s {
		t += c
	}
	return t
}

// Clone returns a copy of s.
func (s Stats) Clone() Stats {
	out := make(Stats, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

// WriteFunc is told about every write after it happened: the octets and
// whether they were written as a queued (sync or chopped) element.
type WriteFunc func(p []byte, sync bool)

type item struct {
	data   []byte
	sync   bool // logged sync flag
	queued bool // queued element: skipped once closed, followed by a gap
}

// Writer owns the writing side of a connection. Send never blocks the caller:
// a goroutine writes the queued octets in order.
type Writer struct {
	conn    net.Conn
	gap     time.Duration
	onWrite WriteFunc

	mu      sync.Mutex
	cond    *sync.Cond
	items   []item
	queued  int // queued elements not yet written
	closing bool
	abort   bool
	flush   time.Duration
	failed  bool // a write failed: nothing more is written
	done    chan struct{}
}

// NewWriter starts a writer on conn. onWrite may be nil.
func NewWriter(conn net.Conn, gap time.Duration, onWrite WriteFunc) *Writer {
	w := &Writer{conn: conn, gap: gap, onWrite: onWrite, done: make(chan struct{})}
	w.cond = sync.NewCond(&w.mu)
	go w.run()
	return w
}

// Send writes p with the fuzzer's rules: chopsize > 0 queues chops of that size
// (each logged as sync); sync queues p as one element; otherwise p is written
// as is, behind whatever is already queued.
func (w *Writer) Send(p []byte, sync bool, chopsize int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closing || w.failed {
		return
	}
	switch {
	case chopsize > 0:
		for _, c := range Split(p, chopsize) {
			w.items = append(w.items, item{data: c, sync: true, queued: true})
			w.queued++
		}
	case sync || w.queued > 0:
		w.items = append(w.items, item{data: p, sync: sync, queued: true})
		w.queued++
	default:
		w.items = append(w.items, item{data: p})
	}
	w.cond.Signal()
}

// Pending reports whether queued (chopped or sync) elements wait to be written.
func (w *Writer) Pending() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.queued > 0
}

// Close ends writing and closes the connection. With abort the connection is
// closed at once and nothing more is written; otherwise the octets that were
// written directly (not queued) are flushed first, for at most flush, and
// queued elements are dropped, as the real fuzzer skips its queue once the
// connection is closed.
func (w *Writer) Close(abort bool, flush time.Duration) {
	w.mu.Lock()
	if w.closing && (!abort || w.abort) {
		w.mu.Unlock()
		return
	}
	w.closing = true
	w.abort = w.abort || abort
	w.flush = flush
	w.cond.Signal()
	w.mu.Unlock()
	if abort {
		_ = w.conn.Close()
		return
	}
	// A write in progress to a peer that does not read must not hold the
	// close up longer than the flush allows.
	_ = w.conn.SetWriteDeadline(time.Now().Add(flush))
}

// Done is closed when the writer goroutine has ended and the connection is
// closed.
func (w *Writer) Done() <-chan struct{} { return w.done }

func (w *Writer) run() {
	defer close(w.done)
	defer w.conn.Close()
	var direct []item // a run of direct items, written at once
	var vec [][]byte  // their octets, for one vectored write
	for {
		w.mu.Lock()
		for len(w.items) == 0 && !w.closing {
			w.cond.Wait()
		}
		if len(w.items) == 0 || w.abort {
			w.mu.Unlock()
			return
		}
		// The items written directly that lead the queue go out in one
		// write, as a buffered transport writes what it holds; a queued
		// element is always a write of its own.
		direct, vec = direct[:0], vec[:0]
		for len(w.items) > 0 && !w.items[0].queued {
			direct = append(direct, w.items[0])
			vec = append(vec, w.items[0].data)
			w.items[0] = item{} // written soon: let it go once written
			w.items = w.items[1:]
		}
		var it item
		if len(direct) == 0 {
			it = w.items[0]
			w.items[0] = item{}
			w.items = w.items[1:]
			w.queued--
		}
		closing, flush := w.closing, w.flush
		w.mu.Unlock()

		if closing {
			if it.queued {
				continue
			}
			_ = w.conn.SetWriteDeadline(time.Now().Add(flush))
		}
		var err error
		if len(direct) > 0 {
			bufs := net.Buffers(vec) // WriteTo consumes bufs, not vec
			_, err = bufs.WriteTo(w.conn)
		} else {
			_, err = w.conn.Write(it.data)
		}
		if err != nil {
			if closing {
				return
			}
			// The peer is gone for writing, but what it sent may still wait
			// to be read: keep the connection until Close, write nothing more.
			w.mu.Lock()
			w.failed = true
			w.items, w.queued = nil, 0
			for !w.closing {
				w.cond.Wait()
			}
			w.mu.Unlock()
			return
		}
		if w.onWrite != nil {
			for _, d := range direct {
				w.onWrite(d.data, d.sync)
			}
			if len(direct) == 0 {
				w.onWrite(it.data, it.sync)
			}
		}
		clear(direct)
		clear(vec)
		if it.queued {
			Pause(w.gap)
		}
	}
}
