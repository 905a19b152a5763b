package cases

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// 1.x Framing: text (1.1) and binary (1.2) messages of the lengths at the
// boundaries of the length encodings, echoed back.
func init() {
	sizes := []struct {
		n, chop int
		kill    float64
	}{{0, 0, 1}, {125, 0, 1}, {126, 0, 1}, {127, 0, 1}, {128, 0, 1}, {65535, 0, 10}, {65536, 0, 10}, {65536, 997, 10}}
	kinds := []struct {
		sub     int
		op      byte
		pattern string
		name    string
	}{{1, frame.OpText, "*", "text"}, {2, frame.OpBinary, "\xfe", "binary"}}
	for _, k := range kinds {
		for i, s := range sizes {
			payload := repeat(k.pattern, s.n)
			send := raw(k.op, true, 0, payload).chopped(s.chop)
			desc := fmt.Sprintf("Send a %s message of %d octets.", k.name, s.n)
			if s.chop > 0 {
				desc = fmt.Sprintf("Send a %s message of %d octets, written in chops of %d octets.", k.name, s.n, s.chop)
			}
			echo := msgText(payload)
			if k.op == frame.OpBinary {
				echo = msgBinary(payload)
			}
			register(&Case{
				ID:          fmt.Sprintf("1.%d.%d", k.sub, i+1),
				Description: desc,
				Expectation: fmt.Sprintf("The %s message comes back unchanged; then a clean close with 1000.", k.name),
				Steps:       steps(send, killAfter(s.kill)),
				Expected:    ok(echo),
				Close:       fuzzerClosesClean,
			})
		}
	}
}
