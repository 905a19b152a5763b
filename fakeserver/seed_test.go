package fakeserver

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// rsvFailingClient is a raw client like the one of the seed report
// (../shared/seed-case-3.4.txt): it echoes text messages and fails the
// connection with 1002 on the first frame with RSV bits set.
func rsvFailingClient(ctx context.Context, rawurl string) error {
	u, err := url.Parse(rawurl)
	if err != nil {
		return err
	}
	nc, err := net.Dial("tcp", u.Host)
	if err != nil {
		return err
	}
	defer nc.Close()
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	defer stop()
	io.WriteString(nc, "GET "+u.RequestURI()+" HTTP/1.1\r\nHost: "+u.Host+"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	rd := bufio.NewReader(nc)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return err
		}
		if line == "\r\n" {
			break
		}
	}
	mask := [4]byte{0x0e, 0x39, 0xae, 0xd9}
	send := func(op byte, payload []byte) {
		nc.Write(frame.Encode(frame.Header{Opcode: op, Fin: true, Masked: true, Mask: mask}, payload))
	}
	for {
		var h [2]byte
		if _, err := io.ReadFull(rd, h[:]); err != nil {
			return nil
		}
		payload := make([]byte, h[1]&0x7f)
		if _, err := io.ReadFull(rd, payload); err != nil {
			return nil
		}
		switch {
		case h[0]>>4&7 != 0:
			send(frame.OpClose, binary.BigEndian.AppendUint16(nil, 1002))
			io.Copy(io.Discard, rd)
			return nil
		case h[0]&15 == frame.OpText:
			send(frame.OpText, payload)
		case h[0]&15 == frame.OpClose:
			send(frame.OpClose, payload)
			io.Copy(io.Discard, rd)
			return nil
		}
	}
}

func TestSeedCase3_4(t *testing.T) {
	srv, err := New(Config{Cases: []string{"3.*"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := srv.RunCase(ctx, "Mint", "3.4", rsvFailingClient)
	if err != nil {
		t.Fatal(err)
	}
	if r.Behavior != "OK" || r.BehaviorClose != "OK" {
		t.Errorf("verdicts %s / %s, want OK / OK (%s; %s)", r.Behavior, r.BehaviorClose, r.Result, r.ResultClose)
	}
	if r.Case != 4 || r.ID != "3.4" || r.Agent != "Mint" || !r.IsServer {
		t.Errorf("case %d id %s agent %s isServer %v", r.Case, r.ID, r.Agent, r.IsServer)
	}
	if r.LocalCloseCode == nil || *r.LocalCloseCode != 1000 || r.RemoteCloseCode == nil || *r.RemoteCloseCode != 1002 {
		t.Errorf("close codes local %v remote %v", r.LocalCloseCode, r.RemoteCloseCode)
	}
	if r.ClosedByMe || !r.DroppedByMe || !r.WasClean || r.FailedByMe {
		t.Errorf("closedByMe %v droppedByMe %v wasClean %v failedByMe %v", r.ClosedByMe, r.DroppedByMe, r.WasClean, r.FailedByMe)
	}
	if tx := r.TxFrameStats; len(tx) != 3 || tx[1] != 2 || tx[8] != 1 || tx[9] != 1 {
		t.Errorf("frames transmitted %v, want {1: 2, 8: 1, 9: 1}", tx)
	}
	if rx := r.RxFrameStats; len(rx) != 2 || rx[1] != 1 || rx[8] != 1 {
		t.Errorf("frames received %v, want {1: 1, 8: 1}", rx)
	}
	if n := r.TxOctetStats[1]; n == 0 || n > 32 {
		t.Errorf("one-octet writes: %d, want 1 to 32", n)
	}
	var chops []int
	for _, e := range r.Wirelog {
		if e.Kind == wirelog.TxFrame && e.Opcode != frame.OpClose {
			if e.Chop == nil {
				t.Errorf("TX frame opcode %d without chop size", e.Opcode)
				continue
			}
			chops = append(chops, *e.Chop)
		}
	}
	if len(chops) != 3 || chops[0] != 1 || chops[1] != 1 || chops[2] != 1 {
		t.Errorf("case frames chop sizes %v, want three frames with CHOPSIZE=1", chops)
	}
	if len(r.Received) != 1 || string(r.Received[0].Payload) != "Hello, world!" {
		t.Errorf("received %+v", r.Received)
	}
	if !strings.HasPrefix(r.HTTPResponse, "HTTP/1.1 101 Switching Protocols\r\nServer: AutobahnTestSuite/0.8.2-0.10.9\r\nX-Powered-By: AutobahnPython/0.10.9\r\n") {
		t.Errorf("response %q", r.HTTPResponse)
	}
}
