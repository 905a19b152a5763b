package deflate

import (
	"fmt"
	"testing"

	"github.com/wsfuzz/autobahn/internal/corpus"
)

// BenchmarkCodec compresses and decompresses messages the way a 12.x case
// does (JSON, cut in turn, context takeover), one message per op; with
// -benchmem it shows what each message allocates.
//
//	go test ./internal/deflate -run '^$' -bench Codec -benchmem
func BenchmarkCodec(b *testing.B) {
	for _, size := range []int{1024, 131072} {
		msgs := messages(corpus.JSON.Data(), size, 64)
		b.Run("compress/"+itoa(size), func(b *testing.B) {
			c, err := NewCodec(false, Settings{})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			i := 0
			for b.Loop() {
				if _, err := c.CompressMessage(msgs[i%len(msgs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run("decompress/"+itoa(size), func(b *testing.B) {
			sender, err := NewCodec(true, Settings{})
			if err != nil {
				b.Fatal(err)
			}
			wire := make([][]byte, len(msgs))
			for i, m := range msgs {
				p, err := sender.CompressMessage(m)
				if err != nil {
					b.Fatal(err)
				}
				wire[i] = append([]byte(nil), p...)
			}
			b.SetBytes(int64(size))
			var c *Codec
			i := 0
			for b.Loop() {
				if i%len(wire) == 0 { // the stream starts over with a fresh history
					if c, err = NewCodec(false, Settings{}); err != nil {
						b.Fatal(err)
					}
				}
				c.StartDecompressMessage()
				if _, err := c.DecompressMessageData(wire[i%len(wire)]); err != nil {
					b.Fatal(err)
				}
				if _, err := c.EndDecompressMessage(); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func itoa(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%dKiB", n/1024)
	}
	return fmt.Sprint(n)
}
