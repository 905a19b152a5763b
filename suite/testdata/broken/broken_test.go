// Package broken is a suite the suite package's tests run through the
// ginkgo CLI: gorilla's client made deliberately broken, so that it accepts
// frames with RSV bits set, as if no bit were set. Its 3.x specs must fail.
package broken

import (
	"context"
	"net"
	"os"
	"testing"

	"github.com/gorilla/websocket"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/wsfuzz/autobahn/suite"
)

func TestBroken(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Broken client")
}

var _ = suite.Client("broken", brokenClient, suite.Cases("1.1.*", "3.*"), suite.ReportDir(os.Getenv("BROKEN_REPORTS")))

// A server that is not there: its spec fails with the error of the run.
var _ = suite.Server("unreachable", suite.URL("ws://127.0.0.1:1/"), suite.Cases("1.1.1"))

// brokenClient is gorilla's echo client reading through rsvEraser.
func brokenClient(ctx context.Context, url string) error {
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &rsvEraser{Conn: c}, nil
	}}
	conn, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return nil
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return nil
		}
	}
}

// rsvEraser clears the RSV bits of every frame the server sends, after the
// HTTP response.
type rsvEraser struct {
	net.Conn
	open    bool   // the HTTP response is over
	tail    uint32 // the last four octets of the HTTP response so far
	header  []byte // the frame header read so far
	payload uint64 // payload octets of the current frame still to come
}

func (c *rsvEraser) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	for i := range p[:n] {
		c.pass(&p[i])
	}
	return n, err
}

func (c *rsvEraser) pass(b *byte) {
	switch {
	case !c.open:
		c.tail = c.tail<<8 | uint32(*b)
		c.open = c.tail == 0x0d0a0d0a
	case c.payload > 0:
		c.payload--
	default:
		if len(c.header) == 0 {
			*b &^= 0x70
		}
		c.header = append(c.header, *b)
		if need := headerLength(c.header); len(c.header) == need {
			c.payload = payloadLength(c.header)
			c.header = c.header[:0]
		}
	}
}

// headerLength is the length of a frame header, once its second octet is
// known.
func headerLength(h []byte) int {
	if len(h) < 2 {
		return 2
	}
	n := 2
	switch h[1] & 0x7f {
	case 126:
		n += 2
	case 127:
		n += 8
	}
	if h[1]&0x80 != 0 {
		n += 4
	}
	return n
}

func payloadLength(h []byte) uint64 {
	switch l := uint64(h[1] & 0x7f); l {
	case 126:
		return uint64(h[2])<<8 | uint64(h[3])
	case 127:
		var v uint64
		for _, b := range h[2:10] {
			v = v<<8 | uint64(b)
		}
		return v
	default:
		return l
	}
}

// The eraser itself must work, or the suite's failures would prove nothing.
var _ = Describe("the RSV eraser", func() {
	It("clears RSV bits of frame headers only", func() {
		c := &rsvEraser{}
		in := []byte("HTTP/1.1 101 OK\r\n\r\n" + "\xc1\x02\xf0\xf0" + "\x91\x00" + "\xb2\x7e\x00\x01\xff")
		for i := range in {
			c.pass(&in[i])
		}
		Expect(string(in)).To(Equal("HTTP/1.1 101 OK\r\n\r\n" + "\x81\x02\xf0\xf0" + "\x81\x00" + "\x82\x7e\x00\x01\xff"))
	})
})
