package engine

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// lateConn returns from every Write only some time after the octets went
// out, as a writer that loses the processor right after its write does: the
// peer's answer is read before the write returns.
type lateConn struct {
	net.Conn
	late time.Duration
}

func (c lateConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	time.Sleep(c.late)
	return n, err
}

// closer sends a text message and schedules a kill when the connection
// opens, and closes when the message comes back.
type closer struct{ recorder }

func (h *closer) Message(c *Conn, p []byte, binary bool) { c.SendClose(intp(1000), "") }

// The wire log has every write before what the peer answered to it, even
// when the write returns late; a write made at once is logged at once,
// before the timer scheduled after it, as in the real fuzzer's logs
// (TF, TO, KL).
func TestWirelogInWireOrderWhenWritesReturnLate(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	h := &closer{recorder{open: func(c *Conn) {
		c.SendFrame(Frame{Opcode: frame.OpText, Fin: true, Payload: []byte("hi")})
		c.KillAfter(5 * time.Second)
	}}}
	done := make(chan *Conn, 1)
	go func() {
		done <- RunConn(context.Background(), lateConn{nc, 50 * time.Millisecond}, mustParseURL("ws://"+ln.Addr().String()+"/"), testOptions(), h)
	}()
	sc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	p := &peer{t: t, conn: sc, rd: bufio.NewReader(sc)}
	req := p.readHeader()
	key := ""
	for _, l := range strings.Split(req, "\r\n") {
		if k, v, ok := strings.Cut(l, ": "); ok && strings.EqualFold(k, "Sec-WebSocket-Key") {
			key = v
		}
	}
	p.write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + AcceptKey(key) + "\r\n\r\n"))
	if f, err := p.next(); err != nil || f.op != frame.OpText {
		t.Fatalf("first frame %+v, %v", f, err)
	}
	p.frame(frame.OpText, true, 0, "hi")
	if code, _ := p.expectClose(); code != 1000 {
		t.Fatalf("close code %d", code)
	}
	p.closeFrame(1000, "")
	sc.Close()
	c := result(t, done, 5*time.Second)
	got := kinds(c.Record().Wirelog, wirelog.TxOctets, wirelog.RxOctets, wirelog.TxFrame, wirelog.RxFrame, wirelog.Kill)
	want := []string{"TO", "RO", "TF", "TO", "KL", "RO", "RF", "TF", "TO", "RO", "RF"}
	if !equal(got, want...) {
		t.Errorf("wire log %v, want %v", got, want)
	}
}
