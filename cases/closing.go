package cases

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// 7.x Close handling: what follows a close, close payloads of every length,
// and valid, invalid and undefined close codes.

// Close codes the peer may send and the fuzzer sends back to in 7.7; the
// peer must close cleanly with 1000 or the same code.
var validCloseCodes = []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}

// Close codes no endpoint may send (7.9); the peer must fail with 1002.
var invalidCloseCodes = []int{0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999}

func init() {
	register(afterClose()...)
	register(closePayloads()...)
	register(closeCodes()...)
}

// afterClose are 7.1: a message before the close, and frames after it.
func afterClose() []*Case {
	const hello = "Hello World!"
	normal := func() Step { return closeWith(frame.CloseNormal, "") }
	ignored := "The frame after the close is ignored; a clean close with 1000."
	c := func(id, desc, exp string, s []Step) *Case {
		return &Case{ID: id, Description: desc, Expectation: exp, Steps: s, Expected: ok(),
			Close: fuzzerClosesClean, SuppressClose: true, Judge: WrongCodeFails}
	}
	return []*Case{
		{ID: "7.1.1", Description: "Send a text message, then wait for the echo to close.",
			Expectation: "The message is echoed; then a clean close with 1000.",
			Steps:       steps(text(hello), killAfter(1)), Expected: ok(msgText(hello)),
			Close: fuzzerClosesClean, Judge: WrongCodeFails},
		c("7.1.2", "Send a close, then a second, empty close frame.", ignored,
			steps(normal(), raw(frame.OpClose, true, 0, ""), killAfter(1))),
		c("7.1.3", "Send a close, then a ping.", "No pong: the ping after the close is ignored; a clean close with 1000.",
			steps(normal(), ping(""), killAfter(1))),
		c("7.1.4", "Send a close, then a text message.", "No echo: the message after the close is ignored; a clean close with 1000.",
			steps(normal(), text(hello), killAfter(1))),
		c("7.1.5", "Send the first fragment of a text message, a close, then the last fragment.", ignored,
			steps(raw(frame.OpText, false, 0, "fragment1"), normal(), raw(frame.OpContinuation, true, 0, "fragment2"), killAfter(1))),
		{ID: "7.1.6", Description: "Send a text message of 256 KiB and a short one, then at once a close and a ping.",
			Expectation: "Informational: whether the short message is echoed before the close depends on how the peer schedules its writes.",
			Steps:       steps(repeated(frame.OpText, "BAsd7&jh23", 256<<10), text(hello), normal(), ping(""), killAfter(1)),
			Expected:    okOrNonStrict([]Event{msgText(hello)}, nil), Close: fuzzerClosesClean,
			SuppressClose: true, Judge: InformationalOrder},
	}
}

// closePayloads are 7.3 and 7.5: close payloads of 0, 1 and 2 octets, with a
// reason, with the longest and a too long reason, and with a reason that is
// not UTF-8.
func closePayloads() []*Case {
	protocolError := ExpectedClose{ClosedByMe: true, Codes: []int{frame.CloseProtocolError}}
	clean := "A clean close with 1000."
	fail := "The peer fails the connection (1002), or drops TCP."
	c := func(id, desc, exp string, s Step, close ExpectedClose) *Case {
		return &Case{ID: id, Description: desc, Expectation: exp, Steps: steps(s, killAfter(1)), Expected: ok(),
			Close: close, SuppressClose: true, Judge: WrongCodeFails}
	}
	normal := intp(frame.CloseNormal)
	out := []*Case{
		c("7.3.1", "Send a close frame with an empty payload: no code, no reason.", clean, rawClose(nil, ""), fuzzerClosesClean),
		c("7.3.2", "Send a close frame with a payload of one octet, too short for a code.", fail, rawClose(nil, "a"), protocolError),
		c("7.3.3", "Send a close frame with the code 1000 and no reason.", clean, closeWith(frame.CloseNormal, ""), fuzzerClosesClean),
		c("7.3.4", "Send a close frame with the code 1000 and a reason.", clean, closeWith(frame.CloseNormal, "Hello World!"), fuzzerClosesClean),
		c("7.3.5", "Send a close frame with the code 1000 and a reason of 123 octets, the longest that fits.", clean,
			closeWith(frame.CloseNormal, repeat("*", 123)), fuzzerClosesClean),
		c("7.3.6", "Send a close frame with the code 1000 and a reason of 124 octets: a payload of 126 octets, too long for a control frame.", fail,
			rawClose(normal, repeat("*", 124)), protocolError),
		c("7.5.1", "Send a close frame with the code 1000 and a reason that is not valid UTF-8.",
			"The peer fails the connection (1002 or 1007), or drops TCP.",
			rawClose(normal, surrogateEdited),
			ExpectedClose{ClosedByMe: true, Codes: []int{frame.CloseProtocolError, frame.CloseInvalidPayload}}),
	}
	out[len(out)-1].HexLocalReason = true
	return out
}

// closeCodes are 7.7 (valid codes), 7.9 (invalid codes) and 7.13 (codes
// outside the defined ranges).
func closeCodes() []*Case {
	var out []*Case
	for i, code := range validCloseCodes {
		out = append(out, &Case{ID: fmt.Sprintf("7.7.%d", i+1),
			Description: fmt.Sprintf("Send a close frame with the valid code %d.", code),
			Expectation: fmt.Sprintf("A clean close with 1000 or %d.", code),
			Steps:       steps(rawClose(intp(code), ""), killAfter(1)), Expected: ok(),
			Close: ExpectedClose{ClosedByMe: true, Codes: []int{frame.CloseNormal, code}, RequireClean: true},
			Judge: WrongCodeFails})
	}
	for i, code := range invalidCloseCodes {
		out = append(out, &Case{ID: fmt.Sprintf("7.9.%d", i+1),
			Description: fmt.Sprintf("Send a close frame with the invalid code %d.", code),
			Expectation: "The peer fails the connection (1002), or drops TCP.",
			Steps:       steps(rawClose(intp(code), ""), killAfter(1)), Expected: ok(),
			Close: ExpectedClose{ClosedByMe: true, Codes: []int{frame.CloseProtocolError}},
			Judge: WrongCodeFails})
	}
	for i, code := range []int{5000, 65535} {
		out = append(out, &Case{ID: fmt.Sprintf("7.13.%d", i+1),
			Description: fmt.Sprintf("Send a close frame with the code %d, outside the ranges RFC 6455 defines.", code),
			Expectation: "Informational: RFC 6455 does not say what must happen.",
			Steps:       steps(rawClose(intp(code), ""), killAfter(1)), Expected: ok(),
			Close:         ExpectedClose{ClosedByMe: true, Codes: []int{frame.CloseNormal, code, frame.CloseProtocolError}},
			SuppressClose: true, Judge: Informational})
	}
	return out
}
