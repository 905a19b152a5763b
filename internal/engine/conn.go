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
	"math/rand"
	"net"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/internal/chop"
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
