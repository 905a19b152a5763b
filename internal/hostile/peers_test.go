package hostile

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// peer is one hostile behaviour. act plays it on its end of the connection
// and returns when the connection ends or the test stops it; w.client says
// which role it plays.
type peer struct {
	name string
	act  func(w *wire)
}

// Misbehaviour during the opening handshake.
var (
	silentHandshake = peer{"never answers the handshake", func(w *wire) {
		if !w.client {
			_, _ = w.readHeader()
		}
		w.drain()
	}}
	garbage = peer{"answers with garbage", func(w *wire) {
		if !w.client {
			_, _ = w.readHeader()
		}
		_ = w.write([]byte("\x16\x03\x01\x00\xa5 this is not HTTP\r\n\r\n"))
		w.drain()
	}}
	endlessGarbage = peer{"garbage without end of header (100 KiB)", func(w *wire) {
		if !w.client {
			_, _ = w.readHeader()
		}
		_ = w.write(bytes.Repeat([]byte("garbage "), 100<<10/8))
		w.drain()
	}}
	wrongKey = peer{"wrong Sec-WebSocket-Accept / Sec-WebSocket-Key", func(w *wire) {
		if w.client {
			req := bytes.Replace([]byte(w.request()), []byte("dGhlIHNhbXBsZSBub25jZQ=="), []byte("not-a-key"), 1)
			_ = w.write(req)
		} else {
			_, _ = w.readHeader()
			_ = w.write([]byte(response("dGhlIHNhbXBsZSBub25jZQ==")))
		}
		w.drain()
	}}
	http500 = peer{"answers HTTP 500", func(w *wire) {
		_, _ = w.readHeader()
		_ = w.write([]byte("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"))
		w.drain()
	}}
	halfHeader = peer{"half a header, then silence", func(w *wire) {
		if w.client {
			req := w.request()
			_ = w.write([]byte(req[:len(req)/2]))
		} else {
			_, _ = w.readHeader()
			_ = w.write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"))
		}
		w.drain()
	}}
	dribbleHandshake = peer{"handshake at one octet per second", func(w *wire) {
		msg := w.request()
		if !w.client {
			req, err := w.readHeader()
			if err != nil {
				return
			}
			msg = response(header(req, "Sec-WebSocket-Key"))
		}
		dribble(w, []byte(msg))
	}}
)

// Misbehaviour once the connection is open.
var (
	silentOpen = peer{"handshake, then silence forever", func(w *wire) {
		if w.handshake() == nil {
			w.drain()
		}
	}}
	flood = peer{"floods frames, never reads", func(w *wire) {
		if w.handshake() != nil {
			return
		}
		var buf []byte
		for len(buf) < 64<<10 {
			buf = append(buf, w.frame(frame.OpText, []byte("flood"))...)
		}
		for w.write(buf) == nil {
		}
	}}
	hugeLength = peer{"frame header announcing 2^63-1 octets", func(w *wire) {
		if w.handshake() == nil && w.write(w.header64(frame.OpBinary, frame.MaxLength)) == nil {
			w.drain()
		}
	}}
	overLength = peer{"frame header announcing 2^63 octets (top bit set)", func(w *wire) {
		if w.handshake() == nil && w.write(w.header64(frame.OpBinary, 1<<63)) == nil {
			w.drain()
		}
	}}
	hugePing = peer{"ping announcing 2^62 octets, then a flood", func(w *wire) {
		if w.handshake() != nil || w.write(w.header64(frame.OpPing, 1<<62)) != nil {
			return
		}
		buf := make([]byte, 64<<10)
		for w.write(buf) == nil {
		}
	}}
	dribbleFrame = peer{"a frame at one octet per second", func(w *wire) {
		if w.handshake() == nil {
			dribble(w, w.frame(frame.OpText, []byte("slowly, very slowly")))
		}
	}}
	resetMidFrame = peer{"TCP reset in the middle of a frame", func(w *wire) {
		if w.handshake() != nil {
			return
		}
		f := w.frame(frame.OpText, bytes.Repeat([]byte("x"), 100))
		_ = w.write(f[:20])
		time.Sleep(50 * time.Millisecond)
		w.reset()
	}}
	ignoresClose = peer{"echoes, then never answers our close", func(w *wire) {
		if w.handshake() == nil && w.echoUntilClose() == nil {
			w.drain()
		}
	}}
	keepsTCP = peer{"answers our close, never closes TCP", func(w *wire) {
		if w.handshake() == nil && w.echoUntilClose() == nil && w.write(w.closeFrame(1000, nil)) == nil {
			w.drain()
		}
	}}
	closesFirstKeepsTCP = peer{"starts the close, never closes TCP", func(w *wire) {
		if w.handshake() == nil && w.write(w.closeFrame(1000, nil)) == nil {
			w.drain()
		}
	}}
	badReason = peer{"close reason of invalid UTF-8", func(w *wire) {
		if w.handshake() == nil && w.write(w.closeFrame(1000, []byte("bad \xff\xfe reason"))) == nil {
			w.drain()
		}
	}}
	closeLength1 = peer{"close frame of length 1", func(w *wire) {
		if w.handshake() == nil && w.write(w.frame(frame.OpClose, []byte{0x03})) == nil {
			w.drain()
		}
	}}
)

// wellBehaved is the peer of the case after each hostile one: it echoes,
// answers pings and the close, and closes TCP as its role should.
var wellBehaved = peer{"well-behaved echo", func(w *wire) {
	if w.handshake() != nil {
		return
	}
	for {
		op, p, err := w.nextFrame()
		if err != nil {
			return
		}
		switch op {
		case frame.OpClose:
			reply := p
			if len(p) >= 2 {
				reply = binary.BigEndian.AppendUint16(nil, binary.BigEndian.Uint16(p))
			}
			if w.write(w.frame(frame.OpClose, reply)) != nil || w.client {
				w.drain() // a client waits for the server to close TCP
			}
			return
		case frame.OpPing:
			err = w.write(w.frame(frame.OpPong, p))
		case frame.OpText, frame.OpBinary:
			err = w.write(w.frame(op, p))
		}
		if err != nil {
			return
		}
	}
}}

// dribble writes p one octet per second until done, a write fails or the
// test stops the peer; then it reads until the connection ends.
func dribble(w *wire, p []byte) {
	for i := range p {
		if w.write(p[i:i+1]) != nil || !w.sleep(time.Second) {
			return
		}
	}
	w.drain()
}
