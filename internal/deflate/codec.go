package deflate

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/flate"
)

// DefaultLimit bounds a decompressed message unless Codec.Limit says
// otherwise: a small message must not inflate without end.
const DefaultLimit = 64 << 20

// level is the compression level for a full 2^15 window: the fastest, as
// the fuzzer's own compression is a large share of the time of a 12.x/13.x
// case and only the reported ratios depend on it (the real fuzzer uses
// zlib's default, 6). The window-limited writer has a fixed level of its own.
const level = 1

// syncTail ends every flushed deflate block run; permessage-deflate strips it.
var syncTail = []byte{0x00, 0x00, 0xff, 0xff}

// messageEnd restores the stripped tail and adds an empty final block, so
// that the reader stops at the end of the message with io.EOF.
var messageEnd = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// Settings are the negotiated parameters of both directions. Window sizes
// are exponents of two from 8 to 15.
type Settings struct {
	ServerNoContextTakeover bool
	ClientNoContextTakeover bool
	ServerMaxWindowBits     int
	ClientMaxWindowBits     int
}

// withDefaults gives an unset window its default of 15.
func (s Settings) withDefaults() Settings {
	if s.ServerMaxWindowBits == 0 {
		s.ServerMaxWindowBits = MaxWindowBits
	}
	if s.ClientMaxWindowBits == 0 {
		s.ClientMaxWindowBits = MaxWindowBits
	}
	return s
}

// direction is one way of the connection: its window and whether each
// message starts without history.
type direction struct {
	windowBits        int
	noContextTakeover bool
}

// Codec is permessage-deflate on one connection. It compresses what this
// side sends with the window and takeover rule of its own role, and
// decompresses what the peer sends with the peer's. Compression never refers
// further back than the window (klauspost/compress's window-limited writer
// below 2^15). Decompression keeps at most the window of history from one
// message to the next, so a peer reaching further back across messages is
// caught, as by zlib in the real fuzzer; a whole message is decompressed at
// its end, so no per-chunk state has to survive between frames.
type Codec struct {
	// Limit bounds the size of a decompressed message (DefaultLimit).
	Limit int

	send compressor
	recv direction

	r      io.ReadCloser
	in     bytes.Buffer
	out    bytes.Buffer
	limit  io.LimitedReader // reads r, up to Limit+1 octets
	window []byte           // last octets received, for context takeover

	known  *Known // consulted and filled when set
	chain  [sha256.Size]byte
	expect []byte // what the next message should decompress to
	tag    any    // names expect's content
}

// NewCodec returns the codec of a server (isServer) or client with settings.
func NewCodec(isServer bool, s Settings) (*Codec, error) {
	s = s.withDefaults()
	for _, b := range []int{s.ServerMaxWindowBits, s.ClientMaxWindowBits} {
		if b < MinWindowBits || b > MaxWindowBits {
			return nil, fmt.Errorf("deflate: window bits %d out of range %d-%d", b, MinWindowBits, MaxWindowBits)
		}
	}
	server := direction{s.ServerMaxWindowBits, s.ServerNoContextTakeover}
	client := direction{s.ClientMaxWindowBits, s.ClientNoContextTakeover}
	c := &Codec{Limit: DefaultLimit, send: compressor{dir: client}, recv: server}
	if isServer {
		c.send.dir, c.recv = server, client
	}
	return c, nil
}

// CompressMessage compresses a whole message: the deflate blocks up to a
// sync flush, without its final 00 00 ff ff. The result is the codec's own
// buffer, valid until the next CompressMessage.
func (c *Codec) CompressMessage(p []byte) ([]byte, error) { return c.send.compress(p) }

// compressor compresses the messages of one direction in turn.
type compressor struct {
	dir direction
	w   *flate.Writer
	buf bytes.Buffer
}

// compress compresses message p after the ones before it; the result is
// valid until the next compress.
func (c *compressor) compress(p []byte) ([]byte, error) {
	switch {
	case c.w == nil:
		w, err := newWriter(&c.buf, c.dir.windowBits)
		if err != nil {
			return nil, err
		}
		c.w = w
	case c.dir.noContextTakeover:
		c.w.Reset(&c.buf)
	}
	c.buf.Reset()
	if _, err := c.w.Write(p); err != nil {
		return nil, fmt.Errorf("deflate: compress: %w", err)
	}
	if err := c.w.Flush(); err != nil {
		return nil, fmt.Errorf("deflate: compress: %w", err)
	}
	out := c.buf.Bytes()
	if !bytes.HasSuffix(out, syncTail) {
		return nil, errors.New("deflate: compress: flush did not end with a sync marker")
	}
	return out[:len(out)-len(syncTail)], nil
}

// newWriter compresses for a window of 2^bits octets.
func newWriter(dst io.Writer, bits int) (*flate.Writer, error) {
	if bits == MaxWindowBits {
		w, err := flate.NewWriter(dst, level)
		if err != nil {
			return nil, fmt.Errorf("deflate: new writer: %w", err)
		}
		return w, nil
	}
	w, err := flate.NewWriterWindow(dst, 1<<bits)
	if err != nil {
		return nil, fmt.Errorf("deflate: new writer for window bits %d: %w", bits, err)
	}
	return w, nil
}

// StartDecompressMessage begins a compressed message from the peer.
func (c *Codec) StartDecompressMessage() { c.in.Reset() }

// DecompressMessageData takes the next piece of the message. Its output
// comes with EndDecompressMessage.
func (c *Codec) DecompressMessageData(p []byte) ([]byte, error) {
	c.in.Write(p)
	return nil, nil
}

// EndDecompressMessage decompresses the message and returns it, in the
// codec's own buffer, valid until the next EndDecompressMessage. With Known
// and Expect, a message whose octets and history were found before to
// decompress to the content expected now is not decompressed again: the
// expected message itself is returned (the caller must not modify it).
func (c *Codec) EndDecompressMessage() ([]byte, error) {
	expect, tag := c.expect, c.tag
	c.expect, c.tag = nil, nil
	var key [sha256.Size]byte
	if c.known != nil {
		key = c.chainKey()
		if expect != nil && c.known.has(key, tag) {
			c.chain = key
			c.keep(expect)
			return expect, nil
		}
	}
	msg, err := c.decompress()
	if err != nil || c.known == nil {
		return msg, err
	}
	c.chain = key
	if expect != nil && bytes.Equal(msg, expect) {
		c.known.add(key, tag)
	}
	return msg, nil
}

// decompress decompresses the message in c.in with the history kept.
func (c *Codec) decompress() ([]byte, error) {
	c.in.Write(messageEnd)
	var dict []byte
	if !c.recv.noContextTakeover {
		dict = c.window
	}
	if c.r == nil {
		c.r = flate.NewReaderDict(&c.in, dict)
	} else if err := c.r.(flate.Resetter).Reset(&c.in, dict); err != nil {
		return nil, fmt.Errorf("deflate: reset reader: %w", err)
	}
	c.out.Reset()
	c.limit = io.LimitedReader{R: c.r, N: int64(c.Limit) + 1}
	if _, err := c.out.ReadFrom(&c.limit); err != nil {
		return nil, fmt.Errorf("deflate: decompress: %w", err)
	}
	if c.out.Len() > c.Limit {
		return nil, fmt.Errorf("deflate: decompressed message larger than %d octets", c.Limit)
	}
	msg := c.out.Bytes()
	c.keep(msg)
	return msg, nil
}

// keep adds a received message to the history, for context takeover.
func (c *Codec) keep(msg []byte) {
	if !c.recv.noContextTakeover {
		c.window = slide(c.window, msg, 1<<c.recv.windowBits)
	}
}

// slide appends p to window and keeps its last size octets.
func slide(window, p []byte, size int) []byte {
	if len(p) >= size {
		return append(window[:0], p[len(p)-size:]...)
	}
	window = append(window, p...)
	if over := len(window) - size; over > 0 {
		window = append(window[:0], window[over:]...)
	}
	return window
}
