package deflate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/wsfuzz/autobahn/internal/corpus"
)

// A shared stream gives every connection the octets its own compressor would
// make, for every window and takeover rule, with connections asking for
// the same messages at once.
func TestStreamsGiveWhatOwnCompressorMakes(t *testing.T) {
	msgs := messages(corpus.JSON.Data(), 3000, 40)
	streams := NewStreams(1 << 30)
	for _, bits := range []int{9, 15} {
		for _, noCtx := range []bool{false, true} {
			s := Settings{ClientMaxWindowBits: bits, ClientNoContextTakeover: noCtx}
			own, _ := NewCodec(false, s)
			var want [][]byte
			for _, m := range msgs {
				out, err := own.CompressMessage(m)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, append([]byte(nil), out...))
			}
			var wg sync.WaitGroup
			for conn := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codec, _ := NewCodec(false, s)
					st := streams.Stream("json/3000", codec)
					for i, m := range msgs {
						got, err := st.Message(i, m)
						if err != nil || !bytes.Equal(got, want[i]) {
							t.Errorf("bits %d noctx %v conn %d: message %d differs from the own compressor's (%v)", bits, noCtx, conn, i, err)
							return
						}
					}
				}()
			}
			wg.Wait()
		}
	}
	if got := len(streams.streams); got != 4 {
		t.Errorf("%d streams, want one per window and takeover rule", got)
	}
}

// Past its budget the cache drops the least recently used streams, never
// the one just asked for; a connection keeps the stream it holds.
func TestStreamsBudget(t *testing.T) {
	streams := NewStreams(1000)
	codec, _ := NewCodec(false, Settings{})
	msg := make([]byte, 4000) // random: does not compress, over budget alone
	r := rand.New(rand.NewPCG(1, 2))
	for i := range msg {
		msg[i] = byte(r.Uint32())
	}
	a := streams.Stream("a", codec)
	if _, err := a.Message(0, msg); err != nil {
		t.Fatal(err)
	}
	b := streams.Stream("b", codec)
	if _, ok := streams.streams[streamKey{"a", codec.send.dir}]; ok {
		t.Error("stream a kept past the budget")
	}
	if streams.Stream("b", codec) != b {
		t.Error("stream b, the newest, was dropped")
	}
	if got, err := a.Message(0, msg); err != nil || len(got) < 1000 {
		t.Errorf("a dropped stream lost its messages for its holder: %d octets, %v", len(got), err)
	}
	if _, err := b.Message(1, msg); err == nil {
		t.Error("message 1 given before message 0")
	}
}

// compressAll compresses msgs in turn with a fresh codec of settings s.
func compressAll(t *testing.T, s Settings, msgs [][]byte) [][]byte {
	t.Helper()
	c, _ := NewCodec(true, s)
	var out [][]byte
	for _, m := range msgs {
		p, err := c.CompressMessage(m)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]byte(nil), p...))
	}
	return out
}

// receive decompresses every message with c, expecting msgs[i] tagged i,
// and reports which came back as the expected slice itself (not
// decompressed again) and which did not match.
func receive(t *testing.T, c *Codec, compressed, msgs [][]byte, tags func(int) any) (skipped, wrong []int) {
	t.Helper()
	for i, p := range compressed {
		c.Expect(msgs[i], tags(i))
		c.StartDecompressMessage()
		c.DecompressMessageData(p)
		got, err := c.EndDecompressMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if len(got) > 0 && &got[0] == &msgs[i][0] {
			skipped = append(skipped, i)
		}
		if !bytes.Equal(got, msgs[i]) {
			wrong = append(wrong, i)
		}
	}
	return skipped, wrong
}

// A message is taken as known only with the same octets, the same history
// before it and the same expected content: a different history, another
// tag or different octets are decompressed, and a wrong echo is never
// remembered as right.
func TestKnownEchoes(t *testing.T) {
	msgs := messages(corpus.HTML.Data(), 2000, 6)
	byIndex := func(i int) any { return i }
	for _, noCtx := range []bool{false, true} {
		t.Run(fmt.Sprintf("noctx=%v", noCtx), func(t *testing.T) {
			s := Settings{ServerNoContextTakeover: noCtx}
			echo := compressAll(t, s, msgs)
			known := NewKnown(100)
			newClient := func() *Codec {
				c, _ := NewCodec(false, s)
				c.Remember(known)
				return c
			}
			if skipped, wrong := receive(t, newClient(), echo, msgs, byIndex); len(skipped)+len(wrong) != 0 {
				t.Fatalf("first connection: skipped %v, wrong %v", skipped, wrong)
			}
			if skipped, wrong := receive(t, newClient(), echo, msgs, byIndex); len(skipped) != len(msgs) || len(wrong) != 0 {
				t.Errorf("same stream again: skipped %v of %d, wrong %v", skipped, len(msgs), wrong)
			}
			if skipped, _ := receive(t, newClient(), echo, msgs, func(i int) any { return -1 - i }); len(skipped) != 0 {
				t.Errorf("other tags: skipped %v", skipped)
			}
			// the same messages after another one: another history
			other := append([][]byte{msgs[5]}, msgs...)
			echo2 := compressAll(t, s, other)
			c := newClient()
			skipped, wrong := receive(t, c, echo2, other, func(i int) any { return i - 1 })
			if len(wrong) != 0 {
				t.Errorf("after another message: wrong %v", wrong)
			}
			if !noCtx && len(skipped) != 0 {
				t.Errorf("with context takeover, messages after another history skipped: %v", skipped)
			}
			if !noCtx {
				// octets that refer back to history: known after one
				// message, not after another
				first := compressAll(t, s, [][]byte{msgs[0], msgs[0]})
				tag := func(i int) any { return [2]int{i, 0} }
				receive(t, newClient(), first, [][]byte{msgs[0], msgs[0]}, tag)
				swapped := [][]byte{compressAll(t, s, msgs[1:2])[0], first[1]}
				_, wrong := receive(t, newClient(), swapped, [][]byte{msgs[1], msgs[0]}, func(i int) any { return [2]int{i, 1 - i} })
				if len(wrong) != 1 || wrong[0] != 1 {
					t.Errorf("octets known after one history taken as known after another: wrong %v, want [1]", wrong)
				}
			}
			// a peer that echoes one message wrong: never skipped, still wrong
			bad := append([][]byte(nil), msgs...)
			bad[3] = bytes.ToUpper(msgs[3])
			echo3 := compressAll(t, s, bad)
			for range 2 {
				if _, wrong := receive(t, newClient(), echo3, msgs, byIndex); len(wrong) != 1 || wrong[0] != 3 {
					t.Errorf("a wrong echo: wrong %v, want [3]", wrong)
				}
			}
		})
	}
}
