package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// Every rule the fuzzer applies to frames from its peer: the connection is
// failed with the right code, the fuzzer closes, and it reads the peer's reply.
func TestPeerFrameValidation(t *testing.T) {
	tests := []struct {
		name   string
		client bool // run the fuzzer as client (peer is a server)
		send   func(p *peer)
		code   int
		reason string
	}{
		{"RSV set", false, func(p *peer) { p.frame(frame.OpText, true, 1, "x") }, 1002, "RSV = 1 and no extension negotiated"},
		{"unmasked client frame", false, func(p *peer) { p.mask = false; p.frame(frame.OpText, true, 0, "x") }, 1002, "unmasked client-to-server frame"},
		{"masked server frame", true, func(p *peer) { p.mask = true; p.frame(frame.OpText, true, 0, "x") }, 1002, "masked server-to-client frame"},
		{"fragmented control frame", false, func(p *peer) { p.frame(frame.OpPing, false, 0, "") }, 1002, "fragmented control frame"},
		{"control frame over 125", false, func(p *peer) { p.frame(frame.OpPing, true, 0, strings.Repeat("x", 126)) }, 1002, "control frame with payload length > 125 octets"},
		{"reserved control opcode", false, func(p *peer) { p.frame(11, true, 0, "") }, 1002, "control frame using reserved opcode 11"},
		{"reserved data opcode", false, func(p *peer) { p.frame(3, true, 0, "") }, 1002, "data frame using reserved opcode 3"},
		{"continuation outside message", false, func(p *peer) { p.frame(frame.OpContinuation, true, 0, "x") }, 1002, "received continuation data frame outside fragmented message"},
		{"new message inside message", false, func(p *peer) {
			p.frame(frame.OpText, false, 0, "a")
			p.frame(frame.OpText, true, 0, "b")
		}, 1002, "received non-continuation data frame while inside fragmented message"},
		{"16-bit length not minimal", false, func(p *peer) {
			p.write([]byte{0x81, 0xfe, 0x00, 0x05, 1, 2, 3, 4, 'h' ^ 1, 'e' ^ 2, 'l' ^ 3, 'l' ^ 4, 'o' ^ 1})
		}, 1002, "invalid data frame length (not using minimal length encoding)"},
		{"64-bit length not minimal", false, func(p *peer) {
			p.write([]byte{0x82, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x01, 1, 2, 3, 4, 0})
		}, 1002, "invalid data frame length (not using minimal length encoding)"},
		{"invalid UTF-8 text, fail fast", false, func(p *peer) { p.frame(frame.OpText, false, 0, "\xce\xba\xf4\x90") }, 1007,
			"encountered invalid UTF-8 while processing text message at payload octet index 4"},
		{"text ends inside a code point", false, func(p *peer) { p.frame(frame.OpText, true, 0, "\xce") }, 1007,
			"UTF-8 text message payload ended within Unicode code point at payload octet index 1"},
		{"message over the size limit", false, func(p *peer) {
			p.write([]byte{0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
		}, 1009, "message exceeds payload limit of 67108864 octets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			var p *peer
			var done <-chan *Conn
			if tt.client {
				p, done = clientConn(t, testOptions(), rec, true)
			} else {
				p, done = serverConn(t, testOptions(), rec, true)
			}
			tt.send(p)
			code, reason := p.expectClose()
			if code != tt.code || reason != tt.reason {
				t.Errorf("fuzzer closed with %d %q, want %d %q", code, reason, tt.code, tt.reason)
			}
			p.closeFrame(tt.code, "")
			c := result(t, done, 3*time.Second)
			f := c.Flags()
			if !f.FailedByMe || !f.ClosedByMe || *f.LocalCloseCode != tt.code {
				t.Errorf("flags %+v", f)
			}
		})
	}
}

// The offending frame is still processed (the real fuzzer only skips on
// failByDrop), but a message completed after failing is not delivered.
func TestNoMessageAfterFailing(t *testing.T) {
	rec := &recorder{}
	p, done := serverConn(t, testOptions(), rec, true)
	p.frame(frame.OpText, true, 2, "with rsv")
	p.frame(frame.OpText, true, 0, "after")
	p.expectClose()
	p.closeFrame(1002, "")
	result(t, done, 3*time.Second)
	if len(rec.messages) != 0 {
		t.Fatalf("messages after failing: %q", rec.messages)
	}
}

// A second violation while closing drops TCP.
func TestSecondViolationDrops(t *testing.T) {
	p, done := serverConn(t, testOptions(), &recorder{}, true)
	p.frame(frame.OpText, true, 1, "a")
	p.expectClose()
	p.frame(frame.OpText, true, 1, "b")
	if err := p.waitEOF(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	f := result(t, done, 3*time.Second).Flags()
	if !f.DroppedByMe || f.WasClean {
		t.Fatalf("flags %+v", f)
	}
}

// With failByDrop the fuzzer drops TCP at the first violation.
func TestFailByDrop(t *testing.T) {
	o := testOptions()
	o.FailByDrop = true
	p, done := serverConn(t, o, &recorder{}, true)
	p.frame(frame.OpText, true, 1, "a")
	if err := p.waitEOF(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	f := result(t, done, 3*time.Second).Flags()
	if !f.DroppedByMe || !f.FailedByMe || f.ClosedByMe || f.WasNotCleanReason == nil ||
		*f.WasNotCleanReason != "I failed the WebSocket connection by dropping the TCP connection" {
		t.Fatalf("flags %+v", f)
	}
}

// A bad close frame from the peer fails the connection, but the frame is
// then taken as the close reply: as a server the fuzzer aborts TCP at once,
// so its own close never leaves (the real fuzzer's transport discards it).
func TestBadCloseFrames(t *testing.T) {
	tests := []struct {
		name       string
		send       func(p *peer)
		localCode  int
		remoteCode *int
		clean      bool
		dropped    bool
	}{
		{"close of length 1", func(p *peer) { p.frame(frame.OpClose, true, 0, "x") }, 1002, nil, true, true},
		{"invalid close code", func(p *peer) { p.closeFrame(1005, "") }, 1002, intp(1005), true, true},
		{"close code 1012", func(p *peer) { p.closeFrame(1012, "") }, 1002, intp(1012), true, true},
		// The real fuzzer cannot decode the reason and its data handler
		// raises, which closes TCP without a drop of its own.
		{"invalid UTF-8 reason", func(p *peer) { p.closeFrame(1000, "\xff") }, 1007, intp(1000), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, done := serverConn(t, testOptions(), &recorder{}, true)
			tt.send(p)
			if f, err := p.next(); err == nil {
				t.Fatalf("the fuzzer sent %+v; want TCP closed with nothing sent", f)
			}
			f := result(t, done, 3*time.Second).Flags()
			if !f.FailedByMe || !f.ClosedByMe || *f.LocalCloseCode != tt.localCode || f.WasClean != tt.clean ||
				f.DroppedByMe != tt.dropped || (tt.remoteCode == nil) != (f.RemoteCloseCode == nil) ||
				(tt.remoteCode != nil && *tt.remoteCode != *f.RemoteCloseCode) {
				t.Fatalf("flags %+v", f)
			}
		})
	}
}

func intp(v int) *int { return &v }

func TestPingIsAnsweredAndPongReported(t *testing.T) {
	rec := &recorder{}
	p, done := serverConn(t, testOptions(), rec, true)
	p.frame(frame.OpPing, true, 0, "hi")
	f, err := p.next()
	if err != nil || f.op != frame.OpPong || string(f.payload) != "hi" || f.masked {
		t.Fatalf("answer to ping: %+v %v", f, err)
	}
	p.frame(frame.OpPong, true, 0, "unsolicited")
	p.frame(frame.OpText, false, 0, "frag")
	p.frame(frame.OpPing, true, 0, "mid")
	p.frame(frame.OpContinuation, true, 0, "ment")
	if f, _ := p.next(); f.op != frame.OpPong || string(f.payload) != "mid" {
		t.Fatalf("ping inside a fragmented message must be answered: %+v", f)
	}
	p.closeFrame(1000, "")
	p.expectClose()
	result(t, done, 3*time.Second)
	if strings.Join(rec.pongs, ",") != "unsolicited" || strings.Join(rec.messages, ",") != "fragment" {
		t.Fatalf("pongs %q messages %q", rec.pongs, rec.messages)
	}
}
