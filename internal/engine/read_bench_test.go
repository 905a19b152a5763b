package engine

import (
	"testing"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// sink is a Handler that drops what it is told.
type sink struct{}

func (sink) Open(*Conn)                  {}
func (sink) Message(*Conn, []byte, bool) {}
func (sink) Pong(*Conn, []byte)          {}

// BenchmarkReceive feeds frames from a client (masked) to an open server
// connection the way the loop does, without sockets: the frame reader's
// hot path.
func BenchmarkReceive(b *testing.B) {
	text := func(n int) frame.Header { return frame.Header{Opcode: frame.OpText, Fin: true, Length: uint64(n)} }
	var small []frame.Header
	for range 100 {
		small = append(small, text(16))
	}
	var fragmented []frame.Header
	for i := range 8 {
		op := frame.OpContinuation
		if i == 0 {
			op = frame.OpText
		}
		fragmented = append(fragmented, frame.Header{Opcode: op, Fin: i == 7, Length: 64},
			frame.Header{Opcode: frame.OpPong, Fin: true, Length: 4})
	}
	tests := []struct {
		name  string
		data  []byte
		chunk int
	}{
		{"small", frames(true, small...), 0},
		{"small-chopped", frames(true, small...), 7},
		{"fragmented", frames(true, fragmented...), 0},
		{"large", frames(true, frame.Header{Opcode: frame.OpBinary, Fin: true, Length: 1 << 16}), 0},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			f := newFeeder(true, Defaults()).open()
			defer f.close()
			f.c.handler = sink{}
			f.c.SetWirelog(false, false)
			scratch := make([]byte, len(tt.data))
			b.SetBytes(int64(len(tt.data)))
			for b.Loop() {
				copy(scratch, tt.data)
				data := scratch
				for len(data) > 0 {
					n := len(data)
					if tt.chunk > 0 && tt.chunk < n {
						n = tt.chunk
					}
					f.c.dataReceived(data[:n:n], false)
					data = data[n:]
				}
				if f.c.state != StateOpen {
					b.Fatalf("connection %s", f.c.state)
				}
			}
		})
	}
}
