package oracle

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// pattern finds p in the dictionary.
func pattern(t *testing.T, p string) int {
	t.Helper()
	i := slices.IndexFunc(script.Dictionary, func(d []byte) bool { return string(d) == p })
	if i < 0 {
		t.Fatalf("%q is not in the dictionary", p)
	}
	return i
}

// act is a frame of the script: the first n octets of pattern p.
func act(t *testing.T, op byte, fin bool, p string, n int) script.Action {
	return script.Action{Opcode: op, Fin: fin, Pattern: pattern(t, p), Length: n}
}

// out builds what a peer sends: frames, masked when masked is set.
type out struct {
	masked bool
	b      []byte
}

func (o *out) frame(op byte, fin bool, rsv byte, payload string) *out {
	h := frame.Header{Opcode: op, Fin: fin, RSV: rsv, Masked: o.masked, Mask: [4]byte{1, 2, 3, 4}}
	o.b = frame.AppendFrame(o.b, h, []byte(payload))
	return o
}

func (o *out) close(code int) *out {
	return o.frame(frame.OpClose, true, 0, string(binary.BigEndian.AppendUint16(nil, uint16(code))))
}

// nonMinimal appends a text frame whose length takes 16 bits.
func (o *out) nonMinimal(payload string) *out {
	o.b = append(o.b, 0x81, 126, 0, byte(len(payload)))
	o.b = append(o.b, payload...)
	return o
}

func TestRules(t *testing.T) {
	hello := act(t, frame.OpText, true, "Hello, world!", 5)
	ping := act(t, frame.OpPing, true, "Hello, world!", 2)
	bad := act(t, frame.OpBinary, true, "Hello, world!", 2)
	bad.RSV = 1
	world := act(t, frame.OpText, true, "Hello, world!", 12)
	server := func() *out { return &out{} }
	tests := []struct {
		rule   Rule
		client bool // the fuzzer is the client: the peer is a server
		acts   []script.Action
		good   Observation
		bad    Observation
	}{
		{RulePanic, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b, Panic: "boom"}},
		{RuleHang, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b, Hang: true, HangDetail: "no end"}},
		{RuleReturn, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b, NoReturn: true}},
		{RuleMasking, false, []script.Action{hello},
			Observation{Received: (&out{masked: true}).frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b}},
		{RuleRSV, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 4, "Hello").close(1000).b}},
		{RuleOpcode, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(11, true, 0, "").close(1000).b}},
		{RuleLength, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().nonMinimal("Hello").close(1000).b}},
		{RuleControl, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(frame.OpPong, true, 0, "x").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(frame.OpPong, false, 0, "x").close(1000).b}},
		{RuleContinuation, true, []script.Action{hello},
			Observation{Received: server().frame(1, false, 0, "He").frame(0, true, 0, "llo").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(0, true, 0, "").close(1000).b}},
		{RuleTextUTF8, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(1, false, 0, "\xce").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(1, false, 0, "\xff").close(1000).b}},
		{RuleCloseBody, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(4999).b},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1005).b}},
		{RuleAfterClose, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).frame(frame.OpPong, true, 0, "").b},
			Observation{Received: server().close(1000).frame(1, true, 0, "Hello").b}},
		{RuleEcho, true, []script.Action{hello},
			Observation{Received: server().frame(1, false, 0, "Hel").frame(0, true, 0, "lo").close(1000).b},
			Observation{Received: server().frame(2, true, 0, "Hello").close(1000).b}},
		{RuleUnfinished, true, []script.Action{hello, act(t, frame.OpText, false, "Hello, world!", 3), act(t, frame.OpContinuation, false, "Hello, world!", 2), {Kind: script.HalfClose}},
			Observation{Received: server().frame(1, true, 0, "Hello").b},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(1, true, 0, "HelHe").b}},
		{RuleNoEchoAfter, true, []script.Action{hello, bad, world},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1002).b},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(1, true, 0, "Hello, world").close(1002).b}},
		{RulePong, true, []script.Action{ping, hello, ping},
			Observation{Received: server().frame(frame.OpPong, true, 0, "He").frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").frame(frame.OpPong, true, 0, "Hx").close(1000).b}},
		{RuleCloseReply, true, []script.Action{hello},
			Observation{Received: server().frame(1, true, 0, "Hello").close(1000).b},
			Observation{Received: server().frame(1, true, 0, "Hello").b}},
	}
	if len(tests) != len(Rules) {
		t.Errorf("%d rules tested, want each of the %d", len(tests), len(Rules))
	}
	for _, tt := range tests {
		t.Run(tt.rule.Name, func(t *testing.T) {
			s := script.Script{Actions: tt.acts}.Finished()
			if got := Judge(s, tt.client, tt.good); len(got) != 0 {
				t.Errorf("a peer that keeps the rule fails: %v", got)
			}
			got := Judge(s, tt.client, tt.bad)
			if len(got) != 1 || got[0].Rule != tt.rule {
				t.Fatalf("a peer that breaks %q alone: failures %v", tt.rule.Name, got)
			}
			if msg := got[0].Error(); tt.rule.Section != "" && !strings.Contains(msg, "RFC 6455 "+tt.rule.Section) {
				t.Errorf("failure text %q lacks the RFC section", msg)
			}
		})
	}
}

// TestModel checks where a script's violations, closes and pings lie.
func TestModel(t *testing.T) {
	hello := act(t, frame.OpText, true, "Hello, world!", 5)
	invalid := act(t, frame.OpText, true, "\xff", 1)
	start := act(t, frame.OpText, false, "Hello, world!", 2)
	long := hello
	long.Form = script.Len16
	code := script.Action{Kind: script.CloseBody, Opcode: frame.OpClose, Fin: true, Code: 1013}
	tests := []struct {
		name       string
		client     bool
		acts       []script.Action
		messages   int
		violation  int
		mayFail    int
		closeValid bool
	}{
		{"valid", true, []script.Action{hello, hello}, 2, 0, 0, true},
		{"client masks, server does not", false, []script.Action{hello, func() script.Action { a := hello; a.BadMask = true; return a }()}, 1, 2, 2, false},
		{"invalid UTF-8", true, []script.Action{hello, invalid, hello}, 1, 2, 2, false},
		{"message inside a message", true, []script.Action{start, hello}, 0, 2, 2, false},
		{"non-minimal length", true, []script.Action{long, hello}, 2, 0, 1, false},
		{"close code in doubt", true, []script.Action{hello, code, hello}, 1, 0, 2, false},
	}
	for _, tt := range tests {
		s := script.Script{Actions: tt.acts}.Finished()
		m := Model(s, tt.client)
		if len(m.Messages) != tt.messages || m.Violation != tt.violation || m.MayFail != tt.mayFail || m.CloseValid != tt.closeValid {
			t.Errorf("%s: messages %d, violation %d (%s), may fail at %d, close valid %v; want %d, %d, %d, %v",
				tt.name, len(m.Messages), m.Violation, m.Why, m.MayFail, m.CloseValid, tt.messages, tt.violation, tt.mayFail, tt.closeValid)
		}
	}
}

// TestUnfinished checks which echoes the unfinished rule takes: what the
// peer had of a message whose final fragment never came, cut by the end of
// the connection or by a close; an echo that is no start of it stays the
// echo rule's, and a message finished passes.
func TestUnfinished(t *testing.T) {
	first := act(t, frame.OpBinary, false, "Hello, world!", 3)
	more := act(t, frame.OpContinuation, false, "Hello, world!", 2)
	last := act(t, frame.OpContinuation, true, "Hello, world!", 2)
	closing := script.Action{Kind: script.CloseBody, Opcode: frame.OpClose, Fin: true, Code: 1000}
	half := script.Action{Kind: script.HalfClose}
	server := func() *out { return &out{} }
	for _, tt := range []struct {
		name string
		acts []script.Action
		obs  []byte
		want []Rule
	}{
		{"all it had, at the end", []script.Action{first, more, half}, server().frame(2, true, 0, "HelHe").b, []Rule{RuleUnfinished}},
		{"its first fragment, at the end", []script.Action{first, more, half}, server().frame(2, true, 0, "Hel").b, []Rule{RuleUnfinished}},
		{"cut by a close", []script.Action{first, closing, last}, server().frame(2, true, 0, "Hel").close(1000).b, []Rule{RuleUnfinished}},
		{"as text", []script.Action{first, more, half}, server().frame(1, true, 0, "HelHe").b, []Rule{RuleEcho}},
		{"other octets", []script.Action{first, more, half}, server().frame(2, true, 0, "Hex").b, []Rule{RuleEcho}},
		{"finished", []script.Action{first, more, last, half}, server().frame(2, true, 0, "HelHeHe").b, nil},
		{"not echoed", []script.Action{first, more, half}, nil, nil},
	} {
		s := script.Script{Actions: tt.acts}.Finished()
		var got []Rule
		for _, f := range Judge(s, true, Observation{Received: tt.obs}) {
			got = append(got, f.Rule)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: broke %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestLostEnd checks that a missing close reply or pong is not judged when
// the peer reset the connection after the fuzzer's close with frames sent
// after it (the reset may have discarded them), and is judged otherwise.
func TestLostEnd(t *testing.T) {
	hello := act(t, frame.OpText, true, "Hello, world!", 5)
	ping := act(t, frame.OpPing, true, "Hello, world!", 2)
	closing := script.Action{Kind: script.CloseBody, Opcode: frame.OpClose, Fin: true, Code: 1000}
	client := func() *out { return &out{masked: true} }
	for _, tt := range []struct {
		name  string
		acts  []script.Action
		reset bool
		want  []Rule
	}{
		{"reset, a frame after the close", []script.Action{hello, ping, closing, hello}, true, nil},
		{"no reset, a frame after the close", []script.Action{hello, ping, closing, hello}, false, []Rule{RulePong, RuleCloseReply}},
		{"reset, nothing after the close", []script.Action{hello, ping, closing}, true, []Rule{RulePong, RuleCloseReply}},
	} {
		s := script.Script{Actions: tt.acts}.Finished()
		var got []Rule
		for _, f := range Judge(s, false, Observation{Received: client().frame(1, true, 0, "Hello").b, Reset: tt.reset}) {
			got = append(got, f.Rule)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: broke %v, want %v", tt.name, got, tt.want)
		}
	}
}
