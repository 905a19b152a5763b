package engine

import (
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/timebound"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

func kinds(es []wirelog.Entry, only ...string) []string {
	keep := map[string]bool{}
	for _, k := range only {
		keep[k] = true
	}
	var out []string
	for _, e := range es {
		if keep[e.Kind] {
			out = append(out, e.Kind)
		}
	}
	return out
}

func equal(a []string, b ...string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestKillAfterFailsWithGoingAway(t *testing.T) {
	t.Parallel()
	p, done := serverConn(t, testOptions(), &recorder{open: func(c *Conn) { c.KillAfter(100 * time.Millisecond) }}, true)
	code, reason := p.expectClose()
	if code != 1001 || reason != "Going Away" {
		t.Fatalf("close %d %q", code, reason)
	}
	p.closeFrame(1000, "")
	c := result(t, done, 3*time.Second)
	f := c.Flags()
	if !f.FailedByMe || !f.ClosedByMe || !f.WasClean || *f.LocalCloseCode != 1001 || *f.RemoteCloseCode != 1000 {
		t.Fatalf("flags %+v", f)
	}
	if got := kinds(c.Record().Wirelog, "KL", "KLE"); !equal(got, "KL", "KLE") {
		t.Fatalf("timer log %v", got)
	}
}

func TestKillAfterWhileClosingDrops(t *testing.T) {
	t.Parallel()
	p, done := serverConn(t, testOptions(), &recorder{open: func(c *Conn) {
		c.SendClose(intp(1000), "")
		c.KillAfter(50 * time.Millisecond)
	}}, true)
	p.expectClose() // and never answer
	if err := p.waitEOF(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	f := result(t, done, 3*time.Second).Flags()
	if !f.DroppedByMe || !f.FailedByMe || f.WasCloseHandshakeTimeout || f.WasClean {
		t.Fatalf("killAfter while closing must drop before the close timeout: %+v", f)
	}
}

func TestCloseAfterSendsEmptyClose(t *testing.T) {
	t.Parallel()
	p, done := serverConn(t, testOptions(), &recorder{open: func(c *Conn) { c.CloseAfter(50 * time.Millisecond) }}, true)
	f, err := p.next()
	if err != nil || f.op != frame.OpClose || len(f.payload) != 0 {
		t.Fatalf("want an empty close, got %+v %v", f, err)
	}
	p.frame(frame.OpClose, true, 0, "")
	c := result(t, done, 3*time.Second)
	fl := c.Flags()
	if fl.LocalCloseCode != nil || !fl.ClosedByMe || fl.FailedByMe || !fl.WasClean || !fl.DroppedByMe {
		t.Fatalf("flags %+v", fl)
	}
	if got := kinds(c.Record().Wirelog, "TI", "TIE"); !equal(got, "TI", "TIE") {
		t.Fatalf("timer log %v", got)
	}
}

func TestContinueLaterOnlyWhileNotClosed(t *testing.T) {
	t.Parallel()
	tag := "A"
	fired := 0
	p, done := serverConn(t, testOptions(), &recorder{open: func(c *Conn) {
		c.ContinueLater(30*time.Millisecond, &tag, func() { fired++ })
		c.ContinueLater(2*time.Second, nil, func() { fired += 10 })
	}}, true)
	time.Sleep(200 * time.Millisecond)
	p.closeFrame(1000, "")
	p.expectClose()
	c := result(t, done, 3*time.Second)
	time.Sleep(50 * time.Millisecond)
	if fired != 1 {
		t.Fatalf("continuations fired %d, want only the first", fired)
	}
	if got := kinds(c.Record().Wirelog, "CT", "CTE"); !equal(got, "CT", "CT", "CTE") {
		t.Fatalf("log %v", got)
	}
}

func TestOpenHandshakeTimeout(t *testing.T) {
	t.Parallel()
	for _, client := range []bool{false, true} {
		var done <-chan *Conn
		if client {
			_, done = clientConn(t, testOptions(), &recorder{}, false)
		} else {
			_, done = serverConn(t, testOptions(), &recorder{}, false)
		}
		start := time.Now()
		c := result(t, done, 3*time.Second)
		f := c.Flags()
		if !f.WasOpenHandshakeTimeout || f.ConnectionWasOpen || !f.DroppedByMe || *f.WasNotCleanReason != "peer did not finish (in time) the opening handshake" {
			t.Fatalf("client %v: flags %+v", client, f)
		}
		if el, limit := time.Since(start), 500*time.Millisecond+timebound.Scale(t, 1500*time.Millisecond); el > limit {
			t.Fatalf("took %v, more than its 500ms timeout allows (%v)", el, limit)
		}
	}
}

func TestCloseHandshakeTimeout(t *testing.T) {
	t.Parallel()
	p, done := serverConn(t, testOptions(), &recorder{open: func(c *Conn) { c.SendClose(intp(1000), "") }}, true)
	p.expectClose()
	start := time.Now()
	c := result(t, done, 3*time.Second)
	f := c.Flags()
	if !f.WasCloseHandshakeTimeout || f.WasClean || !f.DroppedByMe || *f.WasNotCleanReason != "peer did not respond (in time) in closing handshake" {
		t.Fatalf("flags %+v", f)
	}
	if el := time.Since(start); el < 250*time.Millisecond {
		t.Fatalf("dropped after %v, before the timeout", el)
	}
}

func TestServerConnectionDropTimeout(t *testing.T) {
	t.Parallel()
	p, done := clientConn(t, testOptions(), &recorder{open: func(c *Conn) { c.SendClose(intp(1000), "") }}, true)
	p.expectClose()
	p.mask = false
	p.closeFrame(1000, "") // answer, but keep TCP open
	f := result(t, done, 3*time.Second).Flags()
	if !f.WasServerConnectionDropTimeout || f.WasClean || !f.DroppedByMe || *f.WasNotCleanReason != "server did not drop TCP connection (in time)" {
		t.Fatalf("flags %+v", f)
	}
}

func TestPeerClosesFirst(t *testing.T) {
	t.Parallel()
	t.Run("server replies 1000 and drops", func(t *testing.T) {
		p, done := serverConn(t, testOptions(), &recorder{}, true)
		p.closeFrame(4000, "bye")
		if code, reason := p.expectClose(); code != 1000 || reason != "" {
			t.Fatalf("reply %d %q", code, reason)
		}
		if err := p.waitEOF(2 * time.Second); err != nil {
			t.Fatal(err)
		}
		f := result(t, done, 3*time.Second).Flags()
		if f.ClosedByMe || !f.WasClean || !f.DroppedByMe || *f.RemoteCloseCode != 4000 || *f.RemoteCloseReason != "bye" {
			t.Fatalf("flags %+v", f)
		}
	})
	t.Run("client replies and waits for the server to drop", func(t *testing.T) {
		p, done := clientConn(t, testOptions(), &recorder{}, true)
		p.mask = false
		p.closeFrame(1000, "")
		if code, _ := p.expectClose(); code != 1000 {
			t.Fatalf("reply %d", code)
		}
		p.conn.Close()
		f := result(t, done, 3*time.Second).Flags()
		if f.ClosedByMe || !f.WasClean || f.DroppedByMe {
			t.Fatalf("flags %+v", f)
		}
	})
}

func TestPeerDropsTCP(t *testing.T) {
	t.Parallel()
	for _, midFrame := range []bool{false, true} {
		rec := &recorder{}
		p, done := serverConn(t, testOptions(), rec, true)
		if midFrame {
			p.write([]byte{0x81, 0x85, 1, 2, 3}) // header announcing 5 octets, cut inside the mask
		}
		p.conn.Close()
		f := result(t, done, 3*time.Second).Flags()
		if f.WasClean || f.DroppedByMe || *f.WasNotCleanReason != "peer dropped the TCP connection without previous WebSocket closing handshake" {
			t.Fatalf("mid frame %v: flags %+v", midFrame, f)
		}
	}
}
