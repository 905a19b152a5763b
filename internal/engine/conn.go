// Package engine is the protocol engine of the fuzzer: one WebSocket
// connection in either role, with the opening handshake, the OPEN, CLOSING and
// CLOSED states, automatic pongs, the close handshake and its timeouts, the
// case timers, validation of everything the peer sends, and a record of the
// wire. It behaves like the real fuzzer's protocol layer, including its quirks,
// because the verdicts depend on them.
//
// All protocol state lives on one goroutine (the connection's loop); handler
// callbacks run there and may call the Conn's methods directly. Reading and
// writing each have their own goroutine, so a peer that stops reading or
// floods never blocks the loop.
package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/chop"
	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// State is the state of a WebSocket connection.
type State int

// Connection states.
const (
	StateConnecting State = iota
	StateOpen
	StateClosing
	StateClosed
)

func (s State) String() string {
	return [...]string{"CONNECTING", "OPEN", "CLOSING", "CLOSED"}[s]
}

// Handler receives a connection's events. All methods run on the
// connection's loop goroutine.
type Handler interface {
	// Open is called when the opening handshake completed.
	Open(c *Conn)
	// Message is called for every complete message from the peer. payload
	// is valid only until Message returns (it may be a buffer the connection
	// reuses for the next message): a handler that keeps it copies it.
	Message(c *Conn, payload []byte, binary bool)
	// Pong is called for every pong from the peer.
	Pong(c *Conn, payload []byte)
}

// Conn is one fuzzer connection.
type Conn struct {
	opts     Options
	isServer bool
	handler  Handler
	route    Router
	rnd      *rand.Rand
	chopRnd  *rand.Rand
	rec      *Record

	// transport
	nc net.Conn
	w  *chop.Writer
	tx *txBuffers
	rx []byte // received and not consumed yet
	// rxFree hands read buffers the loop is done with back to the reader;
	// rxHeld are those the loop still holds (see releaseRead).
	rxFree chan []byte
	rxHeld [][]byte

	// the loop
	events   chan func() // timers, cancellation, Post: run before pending reads
	data     chan func() // what the reader read, then the loss of TCP, in order
	quit     chan struct{}
	quitOnce sync.Once
	helpers  sync.WaitGroup // goroutines started with Go
	timers   []*time.Timer
	lost     bool

	// the connection's state and what it observed
	state   State
	flags   Flags
	traffic Traffic
	timing  Timing
	// closeAnswered: the peer answered our close, which ends the close
	// handshake timeout (as a client the server drop timeout takes over).
	closeAnswered bool
	// cancelled: the run's context ended the connection.
	cancelled bool

	// the opening handshake and what it negotiated
	client       *clientHandshake
	httpRequest  string
	httpResponse string
	request      *Request
	response     *Response
	pmce         Compression

	receiving
	stream stream
}

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

// stream is the state of a message sent with the streaming API
// (BeginMessage, BeginMessageFrame, SendMessageFrameData).
type stream struct {
	opcode    byte     // of the next frame
	mask      *[4]byte // the current frame's mask key, nil when unmasked
	pos       int      // position in the current frame's payload
	remaining uint64   // octets of the current frame's payload not sent yet
}

// rxFrame is a frame being received: its header, and how much of its
// payload arrived.
type rxFrame struct {
	frame.Header
	pos uint64
}

func newConn(nc net.Conn, opts Options, isServer bool) *Conn {
	c := &Conn{
		opts:     opts,
		isServer: isServer,
		nc:       nc,
		rec:      newRecord(opts.Trace),
		rnd:      rand.New(rand.NewSource(time.Now().UnixNano())),
		events:   make(chan func(), 64),
		data:     make(chan func(), 8),
		rxFree:   make(chan []byte, readBuffers),
		quit:     make(chan struct{}),
	}
	if opts.ChopSeed != 0 {
		c.chopRnd = rand.New(rand.NewSource(opts.ChopSeed))
	}
	c.flags.IsServer = isServer
	chop.SetNoDelay(nc)
	c.tx = newTxBuffers()
	c.w = chop.NewWriter(nc, opts.ChopGap, func(p []byte, sync bool) { c.rec.txOctet(p, sync) })
	// a message's buffer serves again once its last octet is written
	written := c.tx.wrote
	if opts.Activity != nil {
		written = func(p []byte) {
			c.tx.wrote(p)
			opts.Activity()
		}
	}
	c.w.AfterWrite(written)
	return c
}

// post runs f on the loop, unless the loop has ended.
func (c *Conn) post(f func()) {
	select {
	case c.events <- f:
	case <-c.quit:
	}
}

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

// after runs f on the loop after d, unless the connection is gone by then.
func (c *Conn) after(d time.Duration, f func()) {
	t := time.AfterFunc(d, func() { c.post(f) })
	c.timers = append(c.timers, t)
}

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

func (c *Conn) setNotClean(reason string) {
	c.flags.WasClean = false
	c.flags.WasNotCleanReason = &reason
}

// Post runs f on the connection's loop, from any goroutine; it does nothing
// once the connection has ended.
func (c *Conn) Post(f func()) { c.post(f) }

// Limited is implemented by handlers that bound how long their connection may
// stay up once open; past that the connection is dropped.
type Limited interface {
	HardTimeout() time.Duration
}

// State is the connection's state.
func (c *Conn) State() State { return c.state }

// IsServer reports whether the fuzzer is the server on this connection.
func (c *Conn) IsServer() bool { return c.isServer }

// Request is the opening handshake request (as received by a server, or as
// sent by a client).
func (c *Conn) Request() *Request { return c.request }

// Response is the opening handshake response (client role only; nil before).
func (c *Conn) Response() *Response { return c.response }

// Flags returns the closing-behaviour flags so far.
func (c *Conn) Flags() Flags { return c.flags }

// Traffic returns the traffic statistics so far.
func (c *Conn) Traffic() Traffic { return c.traffic }

// Timing returns when the connection opened and was lost.
func (c *Conn) Timing() Timing { return c.timing }

// Cancelled reports whether the run's context ended the connection (it was
// still up when the context was done), so that its outcome is the harness's,
// not the peer's.
func (c *Conn) Cancelled() bool { return c.cancelled }

// Record returns what the connection logged so far.
func (c *Conn) Record() Snapshot { return c.rec.Snapshot() }

// HTTP returns the raw opening handshake request and response text.
func (c *Conn) HTTP() (request, response string) { return c.httpRequest, c.httpResponse }

// SetWirelog switches the wire log on or off. With announce a WLM entry
// records the change.
func (c *Conn) SetWirelog(on, announce bool) { c.rec.setLog(on, announce) }

// SetAutoFragmentSize changes the automatic fragmentation size for messages
// sent from now on.
func (c *Conn) SetAutoFragmentSize(n int) { c.opts.AutoFragmentSize = n }

// Compression is a negotiated permessage-deflate (or other per-message
// compression) extension. Compressing and decompressing keep apart: while
// the connection's loop decompresses, another goroutine may compress (one
// CompressMessage at a time, see Conn.Go).
type Compression interface {
	// CompressMessage compresses a whole message payload. The result may
	// be valid only until the next CompressMessage.
	CompressMessage(p []byte) ([]byte, error)
	// StartDecompressMessage begins decompressing a new message.
	StartDecompressMessage()
	// DecompressMessageData decompresses the next piece of the message.
	DecompressMessageData(p []byte) ([]byte, error)
	// EndDecompressMessage ends the message and returns the decompressed
	// data not returned yet, which may be valid only until the next
	// StartDecompressMessage.
	EndDecompressMessage() ([]byte, error)
}

// Compression returns the negotiated compression, or nil.
func (c *Conn) Compression() Compression { return c.pmce }

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

func (c *Conn) protocolViolation(reason string) bool {
	c.FailConnection(1002, reason)
	return c.opts.FailByDrop
}

func (c *Conn) invalidPayload(reason string) bool {
	c.FailConnection(1007, reason)
	return c.opts.FailByDrop
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

// ErrHandshake is wrapped by errors about a failed opening handshake.
var ErrHandshake = errors.New("opening handshake failed")
