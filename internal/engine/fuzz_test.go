package engine

import (
	"io"
	"net"
	"reflect"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// feeder drives a Conn's receive path directly, the way its loop does, with
// the writing side going nowhere: for fuzzing the frame reader and the
// handshake parsers without timers or sockets in the way.
type feeder struct {
	c   *Conn
	rec *recorder
}

func newFeeder(isServer bool, opts Options) *feeder {
	rec := &recorder{}
	c := newConn(discard{}, opts, isServer)
	c.handler = rec
	return &feeder{c: c, rec: rec}
}

// discard is a connection that takes every write and never has anything
// to read (nothing reads it: the feeder hands data over itself).
type discard struct{}

func (discard) Read([]byte) (int, error)         { return 0, io.EOF }
func (discard) Write(p []byte) (int, error)      { return len(p), nil }
func (discard) Close() error                     { return nil }
func (discard) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (discard) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (discard) SetDeadline(time.Time) error      { return nil }
func (discard) SetReadDeadline(time.Time) error  { return nil }
func (discard) SetWriteDeadline(time.Time) error { return nil }

// open puts the connection in the OPEN state, as after a handshake.
func (f *feeder) open() *feeder {
	f.c.state = StateOpen
	f.c.flags.ConnectionWasOpen = true
	return f
}

// feed hands data to the connection in pieces of at most chunk octets
// (all at once when chunk < 1), as the reader would.
func (f *feeder) feed(data []byte, chunk int) {
	for len(data) > 0 && !f.c.lost {
		n := len(data)
		if chunk > 0 && chunk < n {
			n = chunk
		}
		// The reader hands over a buffer of its own.
		f.c.dataReceived(append([]byte(nil), data[:n]...), false)
		data = data[n:]
	}
}

// close ends the connection's goroutines and timers.
func (f *feeder) close() {
	for _, t := range f.c.timers {
		t.Stop()
	}
	f.c.quitOnce.Do(func() { close(f.c.quit) })
	f.c.w.Close(true, 0)
	<-f.c.w.Done()
}

// fuzzOptions picks options from a fuzzed byte: role, failing by drop, and
// small message and frame limits.
func fuzzOptions(mode byte) (isServer bool, o Options) {
	o = Defaults()
	isServer = mode&1 != 0
	o.FailByDrop = mode&2 != 0
	if mode&4 != 0 {
		o.MaxMessagePayloadSize = 1 << 10
	}
	if mode&8 != 0 {
		o.MaxFramePayloadSize = 100
	}
	o.AcceptMaskedServerFrames = mode&16 != 0
	o.RequireMaskedClientFrames = mode&32 == 0
	return isServer, o
}

// frames encodes frames for a seed: masked when to a server.
func frames(masked bool, fs ...frame.Header) []byte {
	var out []byte
	for i, h := range fs {
		h.Masked, h.Mask = masked, [4]byte{byte(i), 2, 3, 4}
		p := make([]byte, h.Length)
		for j := range p {
			p[j] = 'a' + byte(j%26)
		}
		out = append(out, frame.Encode(h, p)...)
	}
	return out
}

// FuzzFrameReader feeds arbitrary octets to an open connection, whole and
// in pieces: the reader never panics, never keeps more than the limits
// allow, and the messages it delivers do not depend on how the octets were
// cut.
func FuzzFrameReader(f *testing.F) {
	text := frame.Header{Opcode: frame.OpText, Fin: true, Length: 5}
	for _, mode := range []byte{0, 1, 3, 5, 9} {
		masked := mode&1 != 0
		f.Add(frames(masked, text), mode, uint8(1))
		f.Add(frames(masked, frame.Header{Opcode: frame.OpText, Length: 3}, frame.Header{Opcode: frame.OpPing, Fin: true, Length: 2},
			frame.Header{Opcode: frame.OpContinuation, Fin: true, Length: 4}), mode, uint8(3))
		f.Add(frames(masked, frame.Header{Opcode: frame.OpBinary, Fin: true, Length: 70000}), mode, uint8(0))
		f.Add(frames(masked, frame.Header{Opcode: frame.OpClose, Fin: true, Length: 1}), mode, uint8(1))
		f.Add(append(frames(masked, frame.Header{Opcode: frame.OpClose, Fin: true}), 0xff, 0xfe), mode, uint8(2))
		f.Add(append([]byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, frames(masked, text)...), mode, uint8(7))
		f.Add([]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}, mode, uint8(0))
	}
	f.Add([]byte{0x88, 0x84, 1, 2, 3, 4, 0x03 ^ 1, 0xe8 ^ 2, 0xff ^ 3, 0xfe ^ 4}, byte(1), uint8(0))
	f.Add([]byte{0x81, 0x82, 1, 2, 3, 4, 0xce ^ 1, 0xba ^ 2, 0xf4, 0x90}, byte(1), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, mode byte, chunk uint8) {
		isServer, opts := fuzzOptions(mode)
		whole := newFeeder(isServer, opts).open()
		defer whole.close()
		whole.feed(data, 0)
		cut := newFeeder(isServer, opts).open()
		defer cut.close()
		cut.feed(data, int(chunk))

		for _, fd := range []*feeder{whole, cut} {
			c := fd.c
			for _, m := range fd.rec.messages {
				if int64(len(m)) > opts.MaxMessagePayloadSize {
					t.Fatalf("delivered a message of %d octets over the limit of %d", len(m), opts.MaxMessagePayloadSize)
				}
			}
			if len(c.ctlData) > maxControlKept {
				t.Fatalf("kept %d octets of a control frame, over the bound of %d", len(c.ctlData), maxControlKept)
			}
			if len(c.ctlData) > len(data) || len(c.rx) > len(data) {
				t.Fatalf("buffers larger than the input: control %d, receive %d, input %d", len(c.ctlData), len(c.rx), len(data))
			}
			if c.state == StateOpen && c.flags.FailedByMe {
				t.Fatalf("failed but still open")
			}
		}
		// Like the real fuzzer, the reader checks a header again each time
		// more of it arrives, so after a violation the outcome may depend on
		// the cuts; the messages delivered never do, and without a
		// violation nothing does.
		if !reflect.DeepEqual(whole.rec.messages, cut.rec.messages) {
			t.Fatalf("cutting the input in pieces of %d changed the messages:\nwhole %q\ncut   %q", chunk, whole.rec.messages, cut.rec.messages)
		}
		if whole.c.flags.FailedByMe || cut.c.flags.FailedByMe {
			return
		}
		if !reflect.DeepEqual(whole.rec.pongs, cut.rec.pongs) || !reflect.DeepEqual(whole.c.flags, cut.c.flags) || whole.c.state != cut.c.state {
			t.Fatalf("cutting the input in pieces of %d changed the outcome:\nwhole %s %+v %q\ncut   %s %+v %q",
				chunk, whole.c.state, whole.c.flags, whole.rec.pongs, cut.c.state, cut.c.flags, cut.rec.pongs)
		}
	})
}
