package engine

import (
	"bytes"
	"math/rand"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// TestReadBuffersKeepMessagesInProgress: the read buffers go back to the
// reader between messages, but never while a piece of an uncompressed
// message still lies in one. A stream of fragmented messages arrives in
// writes of random sizes, so that messages and frames begin and end
// anywhere within reads; every message must arrive as it was sent.
func TestReadBuffersKeepMessagesInProgress(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	p, done := serverConn(t, testOptions(), rec, true)
	rnd := rand.New(rand.NewSource(1))
	var stream []byte
	var want []string
	for i := 0; i < 200; i++ {
		msg := make([]byte, 1+rnd.Intn(3000))
		rnd.Read(msg)
		want = append(want, string(msg))
		for j, k := 0, 0; j < len(msg) || k == 0; k++ {
			n := min(len(msg)-j, 1+rnd.Intn(700))
			op := frame.OpContinuation
			if k == 0 {
				op = frame.OpBinary
			}
			h := frame.Header{Opcode: op, Fin: j+n == len(msg), Masked: true, Mask: [4]byte{9, 8, 7, byte(i)}}
			stream = append(stream, frame.Encode(h, msg[j:j+n])...)
			j += n
		}
	}
	for i, w := 0, 0; i < len(stream); i += w {
		w = min(len(stream)-i, 1+rnd.Intn(2000))
		p.write(stream[i : i+w])
		if rnd.Intn(4) == 0 {
			time.Sleep(50 * time.Microsecond) // let the reader read what is there
		}
	}
	p.closeFrame(1000, "")
	p.expectClose()
	result(t, done, 5*time.Second)
	if len(rec.messages) != len(want) {
		t.Fatalf("%d messages arrived, want %d", len(rec.messages), len(want))
	}
	for i := range want {
		if rec.messages[i] != want[i] {
			t.Fatalf("message %d (%d octets) arrived with %d octets, different: %x...",
				i, len(want[i]), len(rec.messages[i]), bytes.TrimSpace([]byte(rec.messages[i][:min(16, len(rec.messages[i]))])))
		}
	}
}
