// Package oracle judges a fuzz execution by RFC 6455, at MUST level only:
// what the peer under test sent back (parsed by a parser of its own, not the
// Autobahn engine's), how it ended, and whether it panicked, against the
// script the fuzzer played. Where the RFC leaves the peer a choice (fail
// with a close frame or drop TCP, 1002 or 1007, fail fast or at the end of a
// message, answer every ping or only the latest) each choice passes.
//
// The rules, each a function of its own with its RFC section:
//
//	panic            robustness: no panic, in the peer's goroutine either
//	hang             5.5.1, 7.1.7: the connection ends within the bound after the fuzzer's close, a violation or a half-close
//	return           robustness: the handler or client returns within the bound once the connection is closed
//	masking          5.1, 5.3: a server's frames are unmasked, a client's masked
//	rsv              5.2: RSV bits are 0 (no extension is negotiated)
//	opcode           5.2: no reserved opcode
//	length           5.2: the payload length in its minimal form, 64-bit form with the top bit 0
//	control          5.5: control frames carry at most 125 octets and have FIN
//	continuation     5.4: continuation frames only inside a message, no new message inside one
//	text-utf8        5.6, 8.1: text messages are UTF-8
//	close-body       5.5.1, 7.4.1, 7.4.2: a close body is empty or a sendable code and a UTF-8 reason
//	after-close      5.5.1: no data frame after the peer's own close frame
//	echo             6.2, 5.4: the messages echoed are the messages sent, in order, type and payload unchanged
//	unfinished       6.2, 5.4: a message whose final fragment never came (before the close or the connection's end) is not echoed
//	no-echo-after    7.1.7: nothing sent after a violation is echoed
//	pong             5.5.2, 5.5.3: the latest ping before a violation and the close is answered with its payload
//	close-reply      5.5.1: a valid close is answered with a close frame
//
// A peer that resets the TCP connection after the fuzzer's close, while
// frames the fuzzer sent after its close were unread (closing a socket with
// unread octets resets it), may have had its close reply and its last pong
// discarded by the reset: close-reply and pong are not judged then.
package oracle

import "fmt"

// Rule is one MUST of RFC 6455 (or of the echo contract) that the oracle
// checks.
type Rule struct {
	Name    string // short name: "masking"
	Section string // RFC 6455 section: "5.1"; "" for robustness rules
	Text    string // what the peer must do
}

// Failure is a rule the peer broke, with what was seen.
type Failure struct {
	Rule   Rule
	Detail string
}

// Error describes the failure: the rule, its RFC section and the detail.
func (f Failure) Error() string {
	if f.Rule.Section == "" {
		return fmt.Sprintf("rule %q (robustness, no RFC section): %s: %s", f.Rule.Name, f.Rule.Text, f.Detail)
	}
	return fmt.Sprintf("rule %q (RFC 6455 %s): %s: %s", f.Rule.Name, f.Rule.Section, f.Rule.Text, f.Detail)
}

// The rules.
var (
	RulePanic        = Rule{"panic", "", "the peer never panics"}
	RuleHang         = Rule{"hang", "5.5.1, 7.1.7", "the peer closes the connection within the bound after the fuzzer's close, a violation or a half-close"}
	RuleReturn       = Rule{"return", "", "the peer's handler or client returns within the bound once the connection is closed"}
	RuleMasking      = Rule{"masking", "5.1, 5.3", "a server must not mask its frames, a client must mask every frame"}
	RuleRSV          = Rule{"rsv", "5.2", "RSV1-3 must be 0 unless an extension is negotiated (none is)"}
	RuleOpcode       = Rule{"opcode", "5.2", "no reserved opcode may be sent"}
	RuleLength       = Rule{"length", "5.2", "the payload length must use the minimal number of octets, the 64-bit form its top bit 0"}
	RuleControl      = Rule{"control", "5.5", "control frames must carry at most 125 octets and must not be fragmented"}
	RuleContinuation = Rule{"continuation", "5.4", "continuation frames only continue a started message, no new message starts inside one"}
	RuleTextUTF8     = Rule{"text-utf8", "5.6, 8.1", "a text message must be UTF-8"}
	RuleCloseBody    = Rule{"close-body", "5.5.1, 7.4.1, 7.4.2", "a close body is empty or a status code that may be sent (not 1004-1006, 1015, nor outside 1000-4999) and a UTF-8 reason"}
	RuleAfterClose   = Rule{"after-close", "5.5.1", "no data frame may follow the peer's own close frame"}
	RuleEcho         = Rule{"echo", "6.2, 5.4", "the messages echoed are messages the fuzzer sent, in order, with type and payload unchanged"}
	RuleUnfinished   = Rule{"unfinished", "6.2, 5.4", "a message whose final fragment never came, before the close or the end of the connection, was never received: it is not echoed, nor any part of it"}
	RuleNoEchoAfter  = Rule{"no-echo-after", "7.1.7", "after a violation the peer must not process more data: nothing sent after it is echoed"}
	RulePong         = Rule{"pong", "5.5.2, 5.5.3", "a ping is answered with a pong of its payload (the latest ping may answer for earlier ones) before the close"}
	RuleCloseReply   = Rule{"close-reply", "5.5.1", "a close frame is answered with a close frame unless the peer had sent one"}
)

// Rules lists every rule in the order the oracle checks them.
var Rules = []Rule{
	RulePanic, RuleHang, RuleReturn, RuleMasking, RuleRSV, RuleOpcode, RuleLength, RuleControl,
	RuleContinuation, RuleTextUTF8, RuleCloseBody, RuleAfterClose, RuleEcho, RuleUnfinished, RuleNoEchoAfter,
	RulePong, RuleCloseReply,
}

// RuleNamed returns the rule of that name.
func RuleNamed(name string) (Rule, bool) {
	for _, r := range Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}
