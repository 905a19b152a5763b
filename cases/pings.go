package cases

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// 2.x Pings and pongs.
func init() {
	fe125 := repeat("\xfe", 125)
	var ten, tenChopped []Step
	var tenPongs []Event
	for i := 0; i < 10; i++ {
		p := fmt.Sprintf("payload-%d", i)
		ten = append(ten, ping(p))
		tenChopped = append(tenChopped, ping(p).chopped(1))
		tenPongs = append(tenPongs, pong(p))
	}
	pongFrame := func(p string) Step { return raw(frame.OpPong, true, 0, p) }
	register(
		&Case{ID: "2.1", Description: "Send a ping without payload.",
			Expectation: "A pong without payload; then a clean close with 1000.",
			Steps:       steps(ping(""), closeAfter(1)), Expected: ok(pong("")), Close: fuzzerClosesClean},
		&Case{ID: "2.2", Description: "Send a ping with a small text payload.",
			Expectation: "A pong with the same payload; then a clean close with 1000.",
			Steps:       steps(ping("Hello, world!"), closeAfter(1)), Expected: ok(pong("Hello, world!")), Close: fuzzerClosesClean},
		&Case{ID: "2.3", Description: "Send a ping with a small binary payload.",
			Expectation: "A pong with the same payload; then a clean close with 1000.",
			Steps:       steps(ping("\x00\xff\xfe\xfd\xfc\xfb\x00\xff"), closeAfter(1)), Expected: ok(pong("\x00\xff\xfe\xfd\xfc\xfb\x00\xff")), Close: fuzzerClosesClean},
		&Case{ID: "2.4", Description: "Send a ping with a binary payload of 125 octets, the largest allowed.",
			Expectation: "A pong with the same payload; then a clean close with 1000.",
			Steps:       steps(ping(fe125), closeAfter(1)), Expected: ok(pong(fe125)), Close: fuzzerClosesClean},
		&Case{ID: "2.5", Description: "Send a ping with a binary payload of 126 octets, one more than allowed.",
			Expectation: "The peer fails the connection (1002) and sends no pong.",
			Steps:       steps(ping(repeat("\xfe", 126)), killAfter(1)), Expected: ok(), Close: peerFailsProtocol},
		&Case{ID: "2.6", Description: "Send a ping with a binary payload of 125 octets, written octet by octet.",
			Expectation: "A pong with the same payload; then a clean close with 1000.",
			Steps:       steps(ping(fe125).chopped(1), closeAfter(2)), Expected: ok(pong(fe125)), Close: fuzzerClosesClean},
		&Case{ID: "2.7", Description: "Send an unsolicited pong without payload, then close.",
			Expectation: "The pong is ignored; a clean close with 1000.",
			Steps:       steps(pongFrame(""), closeWith(1000, ""), closeAfter(1)), Expected: ok(), Close: fuzzerClosesClean},
		&Case{ID: "2.8", Description: "Send an unsolicited pong with a payload, then close.",
			Expectation: "The pong is ignored; a clean close with 1000.",
			Steps:       steps(pongFrame("unsolicited pong payload"), closeWith(1000, ""), closeAfter(1)), Expected: ok(), Close: fuzzerClosesClean},
		&Case{ID: "2.9", Description: "Send an unsolicited pong, then a ping.",
			Expectation: "Only the ping is answered, with its payload; then a clean close with 1000.",
			Steps:       steps(pongFrame("unsolicited pong payload"), ping("ping payload"), closeAfter(1)), Expected: ok(pong("ping payload")), Close: fuzzerClosesClean},
		&Case{ID: "2.10", Description: "Send ten pings back to back.",
			Expectation: "Ten pongs, in order, with the pings' payloads (not required by RFC 6455, checked anyway); then a clean close with 1000.",
			Steps:       append(ten, closeAfter(3)), Expected: ok(tenPongs...), Close: fuzzerClosesClean},
		&Case{ID: "2.11", Description: "Send ten pings back to back, each written octet by octet.",
			Expectation: "Ten pongs, in order, with the pings' payloads (not required by RFC 6455, checked anyway); then a clean close with 1000.",
			Steps:       append(tenChopped, closeAfter(3)), Expected: ok(tenPongs...), Close: fuzzerClosesClean},
	)
}
