package hostile

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/frame"
)

// wire is the hostile peer's end of a fuzzer connection.
type wire struct {
	nc net.Conn
	rd *bufio.Reader
	// client is set when the peer is the client: it sends the request and
	// masks its frames.
	client bool
	// target is the request target a client peer asks for.
	target string
	host   string
	// stop is closed when the test ends the peer.
	stop <-chan struct{}
}

func newWire(nc net.Conn, client bool, stop <-chan struct{}) *wire {
	return &wire{nc: nc, rd: bufio.NewReader(nc), client: client, stop: stop}
}

func (w *wire) write(p []byte) error {
	_, err := w.nc.Write(p)
	return err
}

// sleep waits d, or less when the test stops the peer; it reports whether
// the whole wait passed.
func (w *wire) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-w.stop:
		return false
	}
}

// readHeader reads an HTTP header block, up to 64 KiB.
func (w *wire) readHeader() (string, error) {
	var b strings.Builder
	for !strings.HasSuffix(b.String(), "\r\n\r\n") {
		c, err := w.rd.ReadByte()
		if err != nil {
			return b.String(), err
		}
		if b.Len() > 64<<10 {
			return b.String(), fmt.Errorf("header too long")
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// header returns the value of a header field in a raw header block.
func header(raw, name string) string {
	for _, l := range strings.Split(raw, "\r\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// request is the opening handshake request a client peer sends.
func (w *wire) request() string {
	return "GET " + w.target + " HTTP/1.1\r\nHost: " + w.host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
}

// response is the opening handshake response a server peer sends for key.
func response(key string) string {
	return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nServer: hostile\r\n" +
		"Sec-WebSocket-Accept: " + engine.AcceptKey(key) + "\r\n\r\n"
}

// handshake completes the opening handshake correctly in the peer's role.
func (w *wire) handshake() error {
	if w.client {
		if err := w.write([]byte(w.request())); err != nil {
			return err
		}
		_, err := w.readHeader()
		return err
	}
	req, err := w.readHeader()
	if err != nil {
		return err
	}
	return w.write([]byte(response(header(req, "Sec-WebSocket-Key"))))
}

// frame encodes a frame, masked when the peer is a client.
func (w *wire) frame(op byte, payload []byte) []byte {
	return frame.Encode(frame.Header{Opcode: op, Fin: true, Masked: w.client, Mask: [4]byte{0x11, 0x22, 0x33, 0x44}}, payload)
}

// header64 encodes the header of a final frame announcing n payload octets
// with the 64-bit length form, masked when the peer is a client.
func (w *wire) header64(op byte, n uint64) []byte {
	b := []byte{0x80 | op, 127}
	if w.client {
		b[1] |= 0x80
	}
	b = binary.BigEndian.AppendUint64(b, n)
	if w.client {
		b = append(b, 0x11, 0x22, 0x33, 0x44)
	}
	return b
}

// closeFrame encodes a close frame with code and a raw reason.
func (w *wire) closeFrame(code int, reason []byte) []byte {
	return w.frame(frame.OpClose, append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...))
}

// drain reads and discards until the connection ends.
func (w *wire) drain() { _, _ = io.Copy(io.Discard, w.rd) }

// nextFrame reads one frame from the fuzzer and returns its opcode and
// unmasked payload. Payloads over 1 MiB are refused: the fuzzer sends none in
// the cases used here.
func (w *wire) nextFrame() (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(w.rd, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(w.rd, b[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(w.rd, b[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if n > 1<<20 {
		return 0, nil, fmt.Errorf("frame of %d octets", n)
	}
	var mask [4]byte
	masked := h[1]&0x80 != 0
	if masked {
		if _, err := io.ReadFull(w.rd, mask[:]); err != nil {
			return 0, nil, err
		}
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(w.rd, p); err != nil {
		return 0, nil, err
	}
	if masked {
		frame.Mask(mask, 0, p)
	}
	return h[0] & 0x0f, p, nil
}

// echoUntilClose echoes data frames and pongs pings until the fuzzer's
// close frame, which it returns without answering.
func (w *wire) echoUntilClose() error {
	for {
		op, p, err := w.nextFrame()
		if err != nil {
			return err
		}
		switch op {
		case frame.OpClose:
			return nil
		case frame.OpPing:
			err = w.write(w.frame(frame.OpPong, p))
		case frame.OpText, frame.OpBinary:
			err = w.write(w.frame(op, p))
		}
		if err != nil {
			return err
		}
	}
}

// reset closes the connection with a TCP reset instead of a FIN.
func (w *wire) reset() {
	if tc, ok := w.nc.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = w.nc.Close()
}
