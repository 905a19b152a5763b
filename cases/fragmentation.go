package cases

import "github.com/wsfuzz/autobahn/internal/frame"

// 5.x Fragmentation.
func init() {
	const (
		f1, f2, f3, f4, f5 = "fragment1", "fragment2", "fragment3", "fragment4", "fragment5"
		nonCont            = "non-continuation payload"
		hello              = "Hello, world!"
	)
	same := func(s Step) Step { return s }
	sync := func(s Step) Step { return s.synced() }
	octets := func(s Step) Step { return s.chopped(1) }
	ways := []struct {
		how  func(Step) Step
		tail string
	}{{same, ""}, {sync, " Each frame is written on its own."}, {octets, " All written octet by octet."}}
	cont := func(fin bool, p string) Step { return raw(frame.OpContinuation, fin, 0, p) }
	textFrag := func(fin bool, p string) Step { return raw(frame.OpText, fin, 0, p) }
	failNow := "The peer fails the connection (1002) at once."

	register(
		&Case{ID: "5.1", Description: "Send a ping in two fragments.",
			Expectation: "The peer fails the connection (1002): control frames must not be fragmented.",
			Steps:       steps(raw(frame.OpPing, false, 0, f1), cont(true, f2), killAfter(1)), Expected: ok(), Close: peerFailsProtocol},
		&Case{ID: "5.2", Description: "Send a pong in two fragments.",
			Expectation: "The peer fails the connection (1002): control frames must not be fragmented.",
			Steps:       steps(raw(frame.OpPong, false, 0, f1), cont(true, f2), killAfter(1)), Expected: ok(), Close: peerFailsProtocol},
	)
	for i, w := range ways {
		register(&Case{ID: []string{"5.3", "5.4", "5.5"}[i],
			Description: "Send a text message in two fragments." + w.tail,
			Expectation: "The whole message is echoed; then a clean close with 1000.",
			Steps:       steps(w.how(textFrag(false, f1)), w.how(cont(true, f2)), closeAfter(1)),
			Expected:    ok(msgText(f1 + f2)), Close: fuzzerClosesClean})
		register(&Case{ID: []string{"5.6", "5.7", "5.8"}[i],
			Description: "Send a text message in two fragments with a ping between them." + w.tail,
			Expectation: "The pong comes first, then the whole message; then a clean close with 1000.",
			Steps:       steps(w.how(textFrag(false, f1)), w.how(ping("ping payload")), w.how(cont(true, f2)), closeAfter(1)),
			Expected:    ok(pong("ping payload"), msgText(f1+f2)), Close: fuzzerClosesClean})
		register(&Case{ID: []string{"5.9", "5.10", "5.11"}[i],
			Description: "Send a final continuation frame with no message to continue, then a text message." + w.tail,
			Expectation: failNow,
			Steps:       steps(w.how(cont(true, nonCont)), w.how(text(hello)), killAfter(1)),
			Expected:    ok(), Close: peerFailsProtocol})
		register(&Case{ID: []string{"5.12", "5.13", "5.14"}[i],
			Description: "Send a non-final continuation frame with no message to continue, then a text message." + w.tail,
			Expectation: failNow,
			Steps:       steps(w.how(cont(false, nonCont)), w.how(text(hello)), killAfter(1)),
			Expected:    ok(), Close: peerFailsProtocol})
	}
	register(
		&Case{ID: "5.15", Description: "Send a fragmented text message, then a continuation frame and a text frame that continue nothing.",
			Expectation: "The first message is echoed, then the peer fails the connection (1002). Failing before the echo is NON-STRICT.",
			Steps:       steps(textFrag(false, f1), cont(true, f2), cont(false, f3), text(f4), killAfter(1)),
			Expected:    okOrNonStrict([]Event{msgText(f1 + f2)}, nil), Close: peerFailsProtocol},
		&Case{ID: "5.16", Description: "Twice: a continuation frame that continues nothing, then a fragmented text message.",
			Expectation: failNow,
			Steps: steps(cont(false, f1), textFrag(false, f2), cont(true, f3),
				cont(false, f1), textFrag(false, f2), cont(true, f3), killAfter(1)),
			Expected: ok(), Close: peerFailsProtocol},
		&Case{ID: "5.17", Description: "Twice: a final continuation frame that continues nothing, then a fragmented text message.",
			Expectation: failNow,
			Steps: steps(cont(true, f1), textFrag(false, f2), cont(true, f3),
				cont(true, f1), textFrag(false, f2), cont(true, f3), killAfter(1)),
			Expected: ok(), Close: peerFailsProtocol},
		&Case{ID: "5.18", Description: "Send a text message in two fragments that both use the text opcode.",
			Expectation: failNow,
			Steps:       steps(textFrag(false, f1), textFrag(true, f2), killAfter(1)),
			Expected:    ok(), Close: peerFailsProtocol},
	)
	for i, how := range []func(Step) Step{same, sync} {
		tail := []string{"", " Each frame is written on its own."}[i]
		register(&Case{ID: []string{"5.19", "5.20"}[i],
			Description: "Send a text message in five fragments with a ping after the second and the fourth, pausing 1 s after the first ping." + tail,
			Expectation: "Both pongs arrive before the message is complete, the first during the pause; then the whole message; then a clean close with 1000.",
			Steps: steps(how(textFrag(false, f1)), how(cont(false, f2)), how(ping("pongme 1!")), pause(1),
				how(cont(false, f3)), how(cont(false, f4)), how(ping("pongme 2!")), how(cont(true, f5)), closeAfter(1)),
			Expected: ok(pong("pongme 1!"), pong("pongme 2!"), msgText(f1+f2+f3+f4+f5)),
			Close:    fuzzerClosesClean})
	}
}
