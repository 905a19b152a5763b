package cases

import "github.com/wsfuzz/autobahn/internal/frame"

// 3.x Reserved bits: frames with RSV bits set although no extension was
// negotiated.
func init() {
	const hello = "Hello, world!"
	// echoThenRSV sends a good message, the same with RSV bits, then a ping.
	echoThenRSV := func(rsv byte, how func(Step) Step) []Step {
		return steps(how(text(hello)), how(raw(frame.OpText, true, rsv, hello)), how(ping("")), killAfter(1))
	}
	same := func(s Step) Step { return s }
	sync := func(s Step) Step { return s.synced() }
	octets := func(s Step) Step { return s.chopped(1) }
	failNow := "The peer fails the connection (1002) at once."
	echoFirst := "The first message is echoed, then the peer fails the connection (1002) at the frame with RSV set; the ping is not answered. Failing before the echo is NON-STRICT."
	register(
		&Case{ID: "3.1", Description: "Send a small text message with RSV = 1.",
			Expectation: failNow,
			Steps:       steps(raw(frame.OpText, true, 1, hello), killAfter(1)), Expected: ok(), Close: peerFailsProtocol},
		&Case{ID: "3.2", Description: "Send a small text message, the same with RSV = 2, then a ping.",
			Expectation: echoFirst,
			Steps:       echoThenRSV(2, same), Expected: okOrNonStrict([]Event{msgText(hello)}, nil), Close: peerFailsProtocol},
		&Case{ID: "3.3", Description: "Send a small text message, the same with RSV = 3, then a ping, each frame written on its own.",
			Expectation: echoFirst,
			Steps:       echoThenRSV(3, sync), Expected: okOrNonStrict([]Event{msgText(hello)}, nil), Close: peerFailsProtocol},
		&Case{ID: "3.4", Description: "Send a small text message, the same with RSV = 4, then a ping, all written octet by octet.",
			Expectation: echoFirst,
			Steps:       echoThenRSV(4, octets), Expected: okOrNonStrict([]Event{msgText(hello)}, nil), Close: peerFailsProtocol},
		&Case{ID: "3.5", Description: "Send a small binary message with RSV = 5.",
			Expectation: failNow,
			Steps:       steps(raw(frame.OpBinary, true, 5, "\x00\xff\xfe\xfd\xfc\xfb\x00\xff"), killAfter(1)), Expected: ok(), Close: peerFailsProtocol},
		&Case{ID: "3.6", Description: "Send a small binary message with RSV = 6.",
			Expectation: failNow,
			Steps:       steps(raw(frame.OpBinary, true, 6, hello), killAfter(1)), Expected: ok(), Close: peerFailsProtocol},
		&Case{ID: "3.7", Description: "Send a close frame with RSV = 7.",
			Expectation: failNow,
			Steps:       steps(raw(frame.OpClose, true, 7, ""), killAfter(1)), Expected: ok(), Close: peerFailsProtocol},
	)
}
