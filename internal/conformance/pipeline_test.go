package conformance

import (
	"bytes"
	"context"
	"net"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/internal/corpus"
	"github.com/wsfuzz/autobahn/internal/deflate"
	"github.com/wsfuzz/autobahn/internal/engine"
)

// recordingCodec is a peer's codec that keeps the compressed octets of every
// message it receives.
type recordingCodec struct {
	*deflate.Codec
	messages [][]byte
}

func (r *recordingCodec) StartDecompressMessage() {
	r.messages = append(r.messages, []byte{})
	r.Codec.StartDecompressMessage()
}

func (r *recordingCodec) DecompressMessageData(p []byte) ([]byte, error) {
	r.messages[len(r.messages)-1] = append(r.messages[len(r.messages)-1], p...)
	return r.Codec.DecompressMessageData(p)
}

// recordingPeer is an echo server on our engine that accepts the first
// permessage-deflate offer and records what it receives.
type recordingPeer struct {
	answer string
	codec  *recordingCodec
}

func (*recordingPeer) Open(*engine.Conn)         {}
func (*recordingPeer) Pong(*engine.Conn, []byte) {}
func (*recordingPeer) Message(c *engine.Conn, p []byte, binary bool) {
	_ = c.SendMessage(p, binary, 0, false)
}

func (r *recordingPeer) NegotiateServer(offers string) (string, engine.Compression, error) {
	answer, codec, err := deflate.NegotiateServer(offers, []deflate.Request{{}})
	if err != nil || codec == nil {
		return "", nil, err
	}
	r.answer, r.codec = answer, &recordingCodec{Codec: codec}
	return answer, r.codec, nil
}

// streamOf is the case's messages, cut in turn from its data set.
func streamOf(t *testing.T, x *cases.Compression) [][]byte {
	data, ok := corpus.ByKey(x.Corpus)
	if !ok {
		t.Fatalf("no data set %q", x.Corpus)
	}
	n := data.Len()
	var out [][]byte
	for ptr := 0; len(out) < x.Count; {
		to := (ptr + x.Length) % n
		if to > ptr {
			out = append(out, data.Slice(ptr, to))
		} else {
			out = append(out, append(append([]byte(nil), data.Slice(ptr, n)...), data.Slice(0, to)...))
		}
		ptr = to
	}
	return out
}

// TestCompressionAheadSendsSequentialFrames: the compression cases compress
// the next message while the peer echoes, and still every message on the
// wire is, octet for octet, what compressing the case's messages one after
// the other gives (with context takeover and a small window, text with
// non-ASCII characters, messages that wrap around the data, fragmented
// ones), in as many frames; and the case leaves no goroutine behind.
func TestCompressionAheadSendsSequentialFrames(t *testing.T) {
	for _, id := range []string{"12.1.11", "12.4.5", "13.3.11", "13.6.7", "13.1.16"} {
		t.Run(id, func(t *testing.T) {
			c, _ := cases.ByID(id)
			x := c.Compression
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			peer := &recordingPeer{}
			var peerConn *engine.Conn
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				nc, err := ln.Accept()
				if err != nil {
					return
				}
				peerConn = engine.RunServer(context.Background(), nc, engine.Defaults(),
					func(*engine.Request) (engine.Handler, error) { return peer, nil })
			}()
			var res string
			pprof.Do(context.Background(), pprof.Labels("pipeline", id), func(ctx context.Context) {
				r, err := fakeclient.RunCase(ctx, "ws://"+ln.Addr().String()+"/", "recorder", id, nil)
				if err != nil {
					t.Fatal(err)
				}
				res = string(r.Behavior + "/" + r.BehaviorClose)
			})
			ln.Close()
			wg.Wait()
			if res != "OK/OK" {
				t.Fatalf("verdicts %s, want OK/OK", res)
			}
			if left := labelled("pipeline", id, time.Second); left != "" {
				t.Fatalf("goroutines of the case left after it:\n%s", left)
			}

			want, err := deflate.NegotiateClient(peer.answer, true)
			if err != nil {
				t.Fatal(err)
			}
			got := peer.codec.messages
			if len(got) != x.Count {
				t.Fatalf("peer received %d messages, want %d", len(got), x.Count)
			}
			frames := 0
			for i, m := range streamOf(t, x) {
				p, err := want.CompressMessage(m)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got[i], p) {
					t.Fatalf("message %d: %d compressed octets on the wire differ from the %d of sequential compression", i, len(got[i]), len(p))
				}
				frames++
				if x.AutoFragment > 0 && len(p) > x.AutoFragment {
					frames = frames - 1 + len(p)/x.AutoFragment + 1
				}
			}
			rx := peerConn.Record().RxFrameStats
			if n := rx[0] + rx[1] + rx[2]; n != frames {
				t.Errorf("peer received %d data frames, want %d", n, frames)
			}
		})
	}
}

// labelled returns the stacks of goroutines carrying the pprof label
// key=value after waiting up to d for them to end; "" when none is left.
func labelled(key, value string, d time.Duration) string {
	want := `"` + key + `":"` + value + `"`
	deadline := time.Now().Add(d)
	for {
		var buf bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&buf, 1)
		var found []string
		for _, block := range strings.Split(buf.String(), "\n\n") {
			if strings.Contains(block, want) {
				found = append(found, block)
			}
		}
		if len(found) == 0 || time.Now().After(deadline) {
			return strings.Join(found, "\n\n")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
