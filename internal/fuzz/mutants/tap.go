package mutants

import (
	"encoding/binary"
	"net"
	"sync"
)

// tap wraps the connection a gorilla peer reads from and follows the frames
// the fuzzer sends, header by header, the way a frame parser would, so that
// a mutant can misbehave on exactly one condition: it may change a header's
// first octet before gorilla sees it, and hang or panic on a header.
type tap struct {
	net.Conn
	fault fault
	// response: a client's tap first passes the HTTP response of the
	// opening handshake; tail holds its last octets.
	response bool
	tail     uint32

	hdr     []byte // the header read so far
	need    int    // the header's length once known, 0 before
	payload uint64 // payload octets of the current frame still to pass

	fragmented bool // a fragmented data message is open
	binary     bool // and it is binary

	mu       sync.Mutex
	messages []frameInfo // the first frames of data messages, for the echo
	pings    []frameInfo // the pings, for the ping handler
	hung     bool
}

// frameInfo is what the tap saw of a data or ping frame.
type frameInfo struct {
	opcode      byte
	fin         bool
	length      uint64
	inFragments bool // a control frame inside a fragmented message
}

// fault is the mistake of a mutant at the frame level.
type fault interface {
	// firstOctet may change a header's first octet.
	firstOctet(b byte) byte
	// header is called with each whole header: a panic there is the
	// mutant's; hang makes the tap stop passing data.
	header(t *tap, f frameInfo) (hang bool)
	// split is called when a read ends one octet into a header.
	split(t *tap, first byte) (hang bool)
}

// Read passes the octets read on after following them; once hung, it
// swallows everything until the connection fails.
func (t *tap) Read(p []byte) (int, error) {
	for {
		n, err := t.Conn.Read(p)
		if t.follow(p[:n]) {
			t.mu.Lock()
			t.hung = true
			t.mu.Unlock()
		}
		t.mu.Lock()
		hung := t.hung
		t.mu.Unlock()
		if !hung || err != nil {
			return n, err
		}
	}
}

// follow walks the octets p; it reports whether the mutant hangs.
func (t *tap) follow(p []byte) (hang bool) {
	for i := 0; i < len(p); {
		if t.response {
			t.tail = t.tail<<8 | uint32(p[i])
			t.response = t.tail != 0x0d0a0d0a // "\r\n\r\n"
			i++
			continue
		}
		if t.payload > 0 {
			skip := min(uint64(len(p)-i), t.payload)
			t.payload -= skip
			i += int(skip)
			continue
		}
		if len(t.hdr) == 0 {
			p[i] = t.fault.firstOctet(p[i])
		}
		t.hdr = append(t.hdr, p[i])
		i++
		if t.headerDone() && t.header() {
			hang = true
		}
	}
	if len(t.hdr) == 1 && t.fault.split(t, t.hdr[0]) {
		hang = true
	}
	return hang
}

// headerDone reports whether the header is whole, working out its length.
func (t *tap) headerDone() bool {
	if len(t.hdr) < 2 {
		return false
	}
	if t.need == 0 {
		t.need = 2
		switch t.hdr[1] & 0x7f {
		case 126:
			t.need += 2
		case 127:
			t.need += 8
		}
		if t.hdr[1]&0x80 != 0 {
			t.need += 4
		}
	}
	return len(t.hdr) == t.need
}

// header handles a whole header.
func (t *tap) header() (hang bool) {
	h := t.hdr
	f := frameInfo{opcode: h[0] & 0x0f, fin: h[0]&0x80 != 0}
	switch h[1] & 0x7f {
	case 126:
		f.length = uint64(binary.BigEndian.Uint16(h[2:]))
	case 127:
		f.length = binary.BigEndian.Uint64(h[2:])
	default:
		f.length = uint64(h[1] & 0x7f)
	}
	t.hdr, t.need, t.payload = t.hdr[:0], 0, f.length
	switch f.opcode {
	case 1, 2:
		t.fragmented, t.binary = !f.fin, f.opcode == 2
	case 0:
		t.fragmented = t.fragmented && !f.fin
	default:
		f.inFragments = t.fragmented
	}
	t.mu.Lock()
	switch f.opcode {
	case 1, 2:
		t.messages = append(t.messages, f)
	case 9:
		t.pings = append(t.pings, f)
	}
	t.mu.Unlock()
	return t.fault.header(t, f)
}

// nextMessage returns the first frame of the oldest message not yet taken.
func (t *tap) nextMessage() frameInfo { return t.take(&t.messages) }

// nextPing returns the oldest ping not yet taken.
func (t *tap) nextPing() frameInfo { return t.take(&t.pings) }

func (t *tap) take(q *[]frameInfo) frameInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(*q) == 0 {
		return frameInfo{}
	}
	f := (*q)[0]
	*q = (*q)[1:]
	return f
}

// none is a fault that changes nothing; mutants embed it.
type none struct{}

func (none) firstOctet(b byte) byte      { return b }
func (none) header(*tap, frameInfo) bool { return false }
func (none) split(*tap, byte) bool       { return false }
