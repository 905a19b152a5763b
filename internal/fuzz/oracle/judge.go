package oracle

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// Observation is what the player saw of the peer in one execution.
type Observation struct {
	// Received is every octet the peer sent after the opening handshake.
	Received []byte
	// Hang tells that the peer did not end the connection within the bound;
	// HangDetail says what the player waited for.
	Hang       bool
	HangDetail string
	// NoReturn tells that the peer's handler or client did not return
	// within the bound once the connection was closed.
	NoReturn bool
	// Panic is the value and stack of a panic of the peer, "" if none.
	Panic string
	// Reset tells that the connection ended with a TCP reset from the peer
	// (over TCP only), which may discard what the peer sent last before
	// the fuzzer read it.
	Reset bool
}

// Judge returns the rules the peer broke when the fuzzer played s (finished:
// see script.Script.Finished) as a client (fuzzerIsClient: the peer is a
// server) or as a server, and saw obs. No failure means the execution
// passes.
func Judge(s script.Script, fuzzerIsClient bool, obs Observation) []Failure {
	frames, _ := ParseFrames(obs.Received)
	c := &check{sent: Model(s, fuzzerIsClient), peerIsServer: fuzzerIsClient, obs: obs, frames: frames}
	c.assemble()
	var out []Failure
	for _, r := range checks {
		if detail := r.fn(c); detail != "" {
			out = append(out, Failure{Rule: r.rule, Detail: detail})
		}
	}
	return out
}

// check is the state the rules read: what was sent, the peer's frames and
// what they assemble to.
type check struct {
	sent         Sent
	peerIsServer bool
	obs          Observation
	frames       []PeerFrame

	echoed []Message
	pongs  [][]byte
	// closeFrame is the index of the peer's first close frame, -1 if none.
	closeFrame int
	// sequence holds the first breaches of the stateful rules.
	continuation, textUTF8, afterClose string
}

// checks pairs each rule with its function, in the order of Rules.
var checks = []struct {
	rule Rule
	fn   func(*check) string
}{
	{RulePanic, panicked},
	{RuleHang, hung},
	{RuleReturn, notReturned},
	{RuleMasking, eachFrame(masking)},
	{RuleRSV, eachFrame(rsv)},
	{RuleOpcode, eachFrame(opcode)},
	{RuleLength, eachFrame(length)},
	{RuleControl, eachFrame(control)},
	{RuleContinuation, func(c *check) string { return c.continuation }},
	{RuleTextUTF8, func(c *check) string { return c.textUTF8 }},
	{RuleCloseBody, eachFrame(closeBody)},
	{RuleAfterClose, func(c *check) string { return c.afterClose }},
	{RuleEcho, echo},
	{RuleUnfinished, unfinished},
	{RuleNoEchoAfter, noEchoAfter},
	{RulePong, pong},
	{RuleCloseReply, closeReply},
}

// eachFrame makes a rule of a check of one frame: the first frame that
// fails it fails the rule.
func eachFrame(fn func(f PeerFrame, peerIsServer bool) string) func(*check) string {
	return func(c *check) string {
		for i, f := range c.frames {
			if d := fn(f, c.peerIsServer); d != "" {
				return fmt.Sprintf("frame %d the peer sent (%v): %s", i+1, f, d)
			}
		}
		return ""
	}
}

// actionRef names the script's action n (1-based) in a detail.
func actionRef(n int) string { return fmt.Sprintf("action %d", n) }

// isData reports whether op is a data opcode.
func isData(op byte) bool {
	return op == frame.OpText || op == frame.OpBinary || op == frame.OpContinuation
}
