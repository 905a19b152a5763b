package engine

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/timebound"
)

// recorder is a Handler that records what it is told and runs open when the
// connection opens.
type recorder struct {
	open     func(c *Conn)
	messages []string
	pongs    []string
}

func (r *recorder) Open(c *Conn) {
	if r.open != nil {
		r.open(c)
	}
}
func (r *recorder) Message(c *Conn, p []byte, binary bool) {
	r.messages = append(r.messages, string(p))
}
func (r *recorder) Pong(c *Conn, p []byte) { r.pongs = append(r.pongs, string(p)) }

// peer is the raw other end of a fuzzer connection, driven by a test.
type peer struct {
	t    *testing.T
	conn net.Conn
	rd   *bufio.Reader
	mask bool // a client peer masks its frames
}

// testOptions are the defaults with short timers, to keep tests fast.
func testOptions() Options {
	o := Defaults()
	o.OpenHandshakeTimeout = 500 * time.Millisecond
	o.CloseHandshakeTimeout = 300 * time.Millisecond
	o.ServerConnectionDropTimeout = 300 * time.Millisecond
	return o
}

// serverConn runs the fuzzer as server with h; the returned peer is a raw
// client that has completed the handshake when handshake is true.
func serverConn(t *testing.T, opts Options, h Handler, handshake bool) (*peer, <-chan *Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *Conn, 1)
	go func() {
		nc, err := ln.Accept()
		ln.Close()
		if err != nil {
			return
		}
		done <- RunServer(context.Background(), nc, opts, func(*Request) (Handler, error) { return h, nil })
	}()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	p := &peer{t: t, conn: nc, rd: bufio.NewReader(nc), mask: true}
	if handshake {
		p.write([]byte("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
			"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
		p.readHeader()
	}
	return p, done
}

// clientConn runs the fuzzer as client with h against a raw server peer,
// which answers the handshake when handshake is true.
func clientConn(t *testing.T, opts Options, h Handler, handshake bool) (*peer, <-chan *Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *Conn, 1)
	go func() {
		c, err := RunClient(context.Background(), "ws://"+ln.Addr().String()+"/case", opts, h)
		if err != nil {
			t.Errorf("RunClient: %v", err)
		}
		done <- c
	}()
	nc, err := ln.Accept()
	ln.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	p := &peer{t: t, conn: nc, rd: bufio.NewReader(nc)}
	if handshake {
		req := p.readHeader()
		key := ""
		for _, l := range strings.Split(req, "\r\n") {
			if k, v, ok := strings.Cut(l, ": "); ok && strings.EqualFold(k, "Sec-WebSocket-Key") {
				key = v
			}
		}
		p.write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nServer: testpeer\r\n" +
			"Sec-WebSocket-Accept: " + AcceptKey(key) + "\r\n\r\n"))
	}
	return p, done
}

func (p *peer) write(b []byte) {
	p.t.Helper()
	if _, err := p.conn.Write(b); err != nil {
		p.t.Fatalf("peer write: %v", err)
	}
}

func (p *peer) readHeader() string {
	p.t.Helper()
	var b strings.Builder
	for !strings.HasSuffix(b.String(), "\r\n\r\n") {
		c, err := p.rd.ReadByte()
		if err != nil {
			p.t.Fatalf("peer read header: %v (so far %q)", err, b.String())
		}
		b.WriteByte(c)
	}
	return b.String()
}

// frame sends one frame, masked when the peer is a client.
func (p *peer) frame(op byte, fin bool, rsv byte, payload string) {
	p.t.Helper()
	h := frame.Header{Opcode: op, Fin: fin, RSV: rsv, Masked: p.mask, Mask: [4]byte{1, 2, 3, 4}}
	p.write(frame.Encode(h, []byte(payload)))
}

// closeFrame sends a close with code and reason.
func (p *peer) closeFrame(code int, reason string) {
	p.frame(frame.OpClose, true, 0, string(binary.BigEndian.AppendUint16(nil, uint16(code)))+reason)
}

type rxf struct {
	op      byte
	fin     bool
	rsv     byte
	masked  bool
	payload []byte
}

// next reads the next frame the fuzzer sent.
func (p *peer) next() (rxf, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(p.rd, hdr[:]); err != nil {
		return rxf{}, err
	}
	f := rxf{op: hdr[0] & 15, fin: hdr[0]&0x80 != 0, rsv: hdr[0] >> 4 & 7, masked: hdr[1]&0x80 != 0}
	n := uint64(hdr[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		io.ReadFull(p.rd, b[:])
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(p.rd, b[:])
		n = binary.BigEndian.Uint64(b[:])
	}
	var mask [4]byte
	if f.masked {
		io.ReadFull(p.rd, mask[:])
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(p.rd, f.payload); err != nil {
		return f, err
	}
	if f.masked {
		frame.Mask(mask, 0, f.payload)
	}
	return f, nil
}

// expectClose reads frames until a close and returns its code and reason.
func (p *peer) expectClose() (int, string) {
	p.t.Helper()
	for {
		f, err := p.next()
		if err != nil {
			p.t.Fatalf("peer: no close frame: %v", err)
		}
		if f.op == frame.OpClose {
			if len(f.payload) < 2 {
				return 0, ""
			}
			return int(binary.BigEndian.Uint16(f.payload)), string(f.payload[2:])
		}
	}
}

// waitEOF waits until the fuzzer closes TCP.
func (p *peer) waitEOF(d time.Duration) error {
	p.conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, p.rd)
	if err == nil {
		return nil
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return fmt.Errorf("fuzzer did not close TCP within %v", d)
	}
	return nil
}

// result waits for the connection to end, for at most d (scaled to the
// machine with timebound.Scale).
func result(t *testing.T, done <-chan *Conn, d time.Duration) *Conn {
	t.Helper()
	d = timebound.Scale(t, d)
	select {
	case c := <-done:
		return c
	case <-time.After(d):
		t.Fatalf("connection did not end within %v", d)
	}
	return nil
}

func TestAcceptKey(t *testing.T) {
	// RFC 6455 section 1.3.
	if got := AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("AcceptKey = %s", got)
	}
}

func mustParseURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
