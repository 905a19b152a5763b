// Package chop writes octets to a connection the way the Autobahn fuzzer does:
// a frame as one write, as a "sync" write of its own, or cut into chops of N
// octets, each its own write, with a short scheduling gap after every queued
// write so that each reaches the wire separately. Direct writes waiting in a
// row leave together in one system call, as from a transport's buffer. It also counts octets per
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

// WriteFunc is told about every write before it is made, in the order of
// the writes: the octets and whether they are written as a queued (sync or
// chopped) element. What Send writes at once (a direct write, or the first
// queued element when the writer is idle) is told from Send itself, in the
// caller's goroutine, as the real fuzzer logs a write it makes at once; the
// rest is told from the writer's goroutine just before it is written. So a
// log kept by WriteFunc has every write before anything the peer sent in
// answer to it.
type WriteFunc func(p []byte, sync bool)

type item struct {
	data   []byte
	sync   bool // logged sync flag
	queued bool // queued element: skipped once closed unless told, followed by a gap
	told   bool // onWrite has been called for it
}

// Writer owns the writing side of a connection. Send never blocks the caller:
// a goroutine writes the queued octets in order.
type Writer struct {
	conn    net.Conn
	gap     time.Duration
	onWrite WriteFunc
	written func(p []byte) // AfterWrite's

	mu      sync.Mutex
	cond    *sync.Cond
	items   []item
	queued  int  // queued elements not yet written
	gapping bool // a queued element is being written or its gap has not passed
	held    bool // Hold: nothing is written until Release
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
// as is, behind whatever is already queued. A queued element waits for the
// gap after the one before; the first is written at once when the writer is
// idle.
func (w *Writer) Send(p []byte, sync bool, chopsize int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closing || w.failed {
		return
	}
	idle := w.queued == 0 && !w.gapping
	switch {
	case chopsize > 0:
		for i, c := range Split(p, chopsize) {
			w.add(item{data: c, sync: true, queued: true}, i == 0 && idle)
		}
	case sync || w.queued > 0:
		w.add(item{data: p, sync: sync, queued: true}, idle)
	default:
		w.add(item{data: p}, true)
	}
	w.cond.Signal()
}

// add appends it, telling onWrite now when now is set; w.mu is held.
func (w *Writer) add(it item, now bool) {
	if now {
		w.tell(&it)
	}
	if it.queued {
		w.queued++
	}
	w.items = append(w.items, it)
}

// tell calls onWrite for it once; w.mu is held.
func (w *Writer) tell(it *item) {
	if !it.told && w.onWrite != nil {
		w.onWrite(it.data, it.sync)
	}
	it.told = true
}

// Hold keeps what is sent from being written until Release, as a buffered
// transport keeps what one turn of an event loop writes: an abort before
// Release discards it. A write in progress goes on.
func (w *Writer) Hold() {
	w.mu.Lock()
	w.held = true
	w.mu.Unlock()
}

// Release lets the writer write what was sent while held.
func (w *Writer) Release() {
	w.mu.Lock()
	w.held = false
	w.cond.Signal()
	w.mu.Unlock()
}

// AfterWrite makes the writer call f with the octets of every write once
// they are written (onWrite hears of them before), so that the sender may
// reuse their buffer. Octets never written (dropped on close, a failed
// write) are not reported.
func (w *Writer) AfterWrite(f func(p []byte)) {
	w.mu.Lock()
	w.written = f
	w.mu.Unlock()
}

// Pending reports whether queued (chopped or sync) elements wait to be written.
func (w *Writer) Pending() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.queued > 0
}

// Close ends writing and closes the connection. With abort the connection is
// closed at once and nothing more is written; otherwise the octets that were
// written directly (not queued) or told as written are flushed first, for at
// most flush, and the other queued elements are dropped, as the real fuzzer
// skips its queue once the connection is closed. Close releases a Hold.
func (w *Writer) Close(abort bool, flush time.Duration) {
	w.mu.Lock()
	if w.closing && (!abort || w.abort) {
		w.mu.Unlock()
		return
	}
	w.closing = true
	w.held = false
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

// maxBatch bounds the octets of direct writes joined into one.
const maxBatch = 64 << 10

// next waits for what to write next and tells onWrite about it: a queued
// element alone, or the direct writes waiting in a row (up to maxBatch
// octets), which leave together in one write as a transport's buffer
// flushes what was written to it since its last turn. ok is false when the writer
// is to end. Queued elements not told are dropped once closing.
func (w *Writer) next(batch []item) (out []item, closing bool, flush time.Duration, written func([]byte), ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for (len(w.items) == 0 || w.held) && !w.closing {
			w.cond.Wait()
		}
		if len(w.items) == 0 || w.abort {
			return batch, false, 0, nil, false
		}
		it := w.take()
		if w.closing && it.queued && !it.told {
			continue
		}
		w.tell(&it)
		w.gapping = it.queued
		batch = append(batch, it)
		size := len(it.data)
		for !it.queued && len(w.items) > 0 && !w.items[0].queued && size+len(w.items[0].data) <= maxBatch {
			it = w.take()
			size += len(it.data)
			w.tell(&it)
			batch = append(batch, it)
		}
		return batch, w.closing, w.flush, w.written, true
	}
}

// take removes the first item; w.mu is held.
func (w *Writer) take() item {
	it := w.items[0]
	w.items[0] = item{} // written soon: let it go once written
	w.items = w.items[1:]
	if it.queued {
		w.queued--
	}
	return it
}

func (w *Writer) run() {
	defer close(w.done)
	defer w.conn.Close()
	var batch []item
	var joined []byte
	for {
		var closing, ok bool
		var flush time.Duration
		var written func([]byte)
		batch, closing, flush, written, ok = w.next(batch[:0])
		if !ok {
			return
		}
		if closing {
			_ = w.conn.SetWriteDeadline(time.Now().Add(flush))
		}
		if err := w.write(batch, &joined); err != nil {
			if closing {
				return
			}
			// The peer is gone for writing, but what it sent may still wait
			// to be read: keep the connection until Close, write nothing more.
			w.mu.Lock()
			w.failed = true
			w.items, w.queued, w.gapping = nil, 0, false
			for !w.closing {
				w.cond.Wait()
			}
			w.mu.Unlock()
			return
		}
		if written != nil {
			for _, it := range batch {
				written(it.data)
			}
		}
		queued := batch[0].queued
		clear(batch)
		if queued {
			Pause(w.gap)
			w.mu.Lock()
			w.gapping = false
			w.mu.Unlock()
		}
	}
}

// write writes the octets of batch as one write, joined in buf.
func (w *Writer) write(batch []item, buf *[]byte) error {
	if len(batch) == 1 {
		_, err := w.conn.Write(batch[0].data)
		return err
	}
	*buf = (*buf)[:0]
	for _, it := range batch {
		*buf = append(*buf, it.data...)
	}
	_, err := w.conn.Write(*buf)
	return err
}
