package utf8stream_test

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/wsfuzz/autobahn/internal/corpus"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
)

// BenchmarkValidate compares the incremental validator, fed in 4 KiB chunks
// (about what a read hands the engine), with unicode/utf8.Valid on the
// same data, in MB/s: all ASCII, mixed scripts, and the two text data sets
// of 12.x/13.x.
//
//	go test ./internal/utf8stream -run '^$' -bench Validate
func BenchmarkValidate(b *testing.B) {
	data := []struct {
		name string
		p    []byte
	}{
		{"ascii", bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog. "), 1<<12)},
		{"mixed", bytes.Repeat([]byte("Hello κόσμε, 世界 and ASCII text 𝄞 again; "), 1<<12)},
		{"corpus-json", corpus.JSON.Data()},
		{"corpus-html", corpus.HTML.Data()},
	}
	for _, d := range data {
		if !utf8.Valid(d.p) {
			b.Fatalf("%s: not valid UTF-8", d.name)
		}
		b.Run(d.name+"/stream", func(b *testing.B) {
			b.SetBytes(int64(len(d.p)))
			var v utf8stream.Validator
			for b.Loop() {
				v.Reset()
				for i := 0; i < len(d.p); i += 4096 {
					v.Write(d.p[i:min(i+4096, len(d.p))])
				}
				if !v.Complete() {
					b.Fatal("valid data refused")
				}
			}
		})
		b.Run(d.name+"/utf8.Valid", func(b *testing.B) {
			b.SetBytes(int64(len(d.p)))
			for b.Loop() {
				if !utf8.Valid(d.p) {
					b.Fatal("valid data refused")
				}
			}
		})
	}
}
