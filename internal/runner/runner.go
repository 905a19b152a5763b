// Package runner plays one case of the catalog over an engine connection and
// judges it the way the real fuzzer does, producing the verdicts
// (behavior, behaviorClose) and everything else a report holds.
package runner

import (
	"fmt"
	"github.com/wsfuzz/autobahn/internal/chop"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/report"
)

// The fuzzer's reason texts that more than one verdict shares.
const (
	defaultResult   = "Actual events differ from any expected."
	defaultClose    = "TCP connection was dropped without close handshake"
	matchedResult   = "Actual events match at least one expected."
	neverOpenResult = "The WebSocket opening handshake was never completed!"
)

// Runner plays one case. It is the engine.Handler of the case's connection.
type Runner struct {
	Case *cases.Case
	// Exclude, when set, is asked once the connection is open (when the
	// agent is known in both roles): true skips the case as a spec's
	// "exclude-agent-cases" does: the fuzzer closes at once and the case has
	// no result.
	Exclude func(c *engine.Conn) bool

	skipped bool

	received []cases.Event
	behavior report.Verdict
	result   string
	// round trips and compression streams count their messages
	count int
	// compression support (permessage-deflate cases), set by NewRunner
	deflate *deflateState
	// hs is what a handshake case saw of the opening handshake.
	hs handshakeState
}

// New returns a runner for c.
func New(c *cases.Case) *Runner {
	return &Runner{Case: c, behavior: report.Failed, result: defaultResult}
}

// Open runs the case script.
func (r *Runner) Open(c *engine.Conn) {
	if r.Exclude != nil && r.Exclude(c) {
		r.skipped = true
		c.SendClose(nil, "")
		return
	}
	switch {
	case r.Case.Echo != nil:
		c.SetWirelog(false, false)
		r.behavior = report.Failed
		r.result = fmt.Sprintf("Did not receive message within %d seconds.", int(r.Case.Echo.Wait.Seconds()))
	case r.Case.RoundTrip != nil:
		rt := r.Case.RoundTrip
		c.SetWirelog(false, true)
		r.behavior = report.Failed
		r.result = fmt.Sprintf("Case did not finish within %d seconds.", int(rt.Wait.Seconds()))
		c.CloseAfter(rt.Wait)
		r.sendRoundTrip(c)
		return
	case r.Case.Compression != nil:
		r.openCompression(c)
		return
	case r.Case.Handshake != nil:
		r.openHandshake(c)
		return
	}
	r.play(c, r.Case.Steps)
}

// play runs steps until a Wait, which schedules the rest.
func (r *Runner) play(c *engine.Conn, steps []cases.Step) {
	for i, s := range steps {
		switch s.Action {
		case cases.SendFrame:
			_ = c.SendFrame(engine.Frame{Opcode: s.Opcode, Fin: s.Fin, RSV: s.RSV, Payload: s.Payload,
				RepeatLen: s.RepeatLen, Chop: s.Chop, Sync: s.Sync})
		case cases.SendMessage:
			if p, err := s.MessagePayload(); err == nil {
				_ = c.SendMessage(p, s.Binary, s.FragSize, s.Sync)
			}
		case cases.SendClose:
			c.SendClose(s.Code, string(s.Reason))
		case cases.SendRawClose:
			c.SendCloseFrame(s.Code, s.Reason, false)
		case cases.KillAfter:
			c.KillAfter(s.Delay)
		case cases.CloseAfter:
			c.CloseAfter(s.Delay)
		case cases.BeginMessage:
			c.BeginMessage(s.Binary)
		case cases.BeginFrame:
			c.BeginMessageFrame(s.Length)
		case cases.FrameData:
			c.SendMessageFrameData(s.Payload)
		case cases.EndMessage:
			c.EndMessage()
		case cases.AutoFragment:
			c.SetAutoFragmentSize(s.Length)
		case cases.Wait:
			rest := steps[i+1:]
			c.ContinueLater(s.Delay, s.Tag, func() {
				if s.Record {
					if c.State() != engine.StateOpen {
						return
					}
					r.received = append(r.received, cases.Event{Kind: cases.Timeout, Tag: *s.Tag})
				}
				r.play(c, rest)
			})
			return
		}
	}
}

// Message records or checks a message from the peer.
func (r *Runner) Message(c *engine.Conn, payload []byte, binary bool) {
	if r.skipped {
		return
	}
	switch {
	case r.Case.Echo != nil:
		r.checkEcho(c, payload, binary)
	case r.Case.RoundTrip != nil:
		r.checkRoundTrip(c, payload, binary)
	case r.Case.Compression != nil:
		r.checkCompression(c, payload, binary)
	default:
		if r.record(cases.Event{Kind: cases.Message, Payload: append([]byte{}, payload...), Binary: binary}) {
			r.finishWhenDone(c)
		}
	}
}

// Pong records a pong from the peer.
func (r *Runner) Pong(c *engine.Conn, payload []byte) {
	if r.skipped {
		return
	}
	if r.record(cases.Event{Kind: cases.Pong, Payload: append([]byte{}, payload...)}) {
		r.finishWhenDone(c)
	}
}

// finishWhenDone closes with the expected code once every expected outcome
// matches what was received (so cases with two outcomes never close here).
func (r *Runner) finishWhenDone(c *engine.Conn) {
	if h := r.Case.Handshake; h != nil && h.Must == cases.FailConnection {
		// the client took an answer it must fail on: the case is decided
		normal := frame.CloseNormal
		c.SendClose(&normal, "")
		return
	}
	for _, o := range r.Case.Expected {
		if !cases.EventsEqual(r.received, o.Events) {
			return
		}
	}
	if r.Case.Close.ClosedByMe && !r.Case.SuppressClose {
		code := r.Case.Close.Codes[0]
		c.SendClose(&code, "")
	}
}

func (r *Runner) checkEcho(c *engine.Conn, payload []byte, binary bool) {
	e := r.Case.Echo
	kind := "text"
	if e.Binary {
		kind = "binary"
	}
	switch {
	case binary != e.Binary:
		r.result = e.WrongType
	case len(payload) != e.Length:
		r.result = fmt.Sprintf("Expected %s message with payload of length %d, but got %d.", kind, e.Length, len(payload))
	default:
		r.behavior = report.OK
		r.result = fmt.Sprintf("Received %s message of length %d.", kind, len(payload))
	}
	c.SetWirelog(true, false)
	normal := frame.CloseNormal
	c.SendClose(&normal, "")
}

func (r *Runner) sendRoundTrip(c *engine.Conn) {
	rt := r.Case.RoundTrip
	f := engine.Frame{Opcode: frame.OpText, Fin: true, Payload: []byte("*"), RepeatLen: &rt.Length}
	if rt.Binary {
		f.Opcode, f.Payload = frame.OpBinary, []byte{0xfe}
	}
	_ = c.SendFrame(f)
	r.count++
}

func (r *Runner) checkRoundTrip(c *engine.Conn, payload []byte, binary bool) {
	rt := r.Case.RoundTrip
	normal := frame.CloseNormal
	switch {
	case binary != rt.Binary || len(payload) != rt.Length:
		r.behavior = report.Failed
		r.result = fmt.Sprintf("Echo'ed message type or length differs from what I sent (got binary = %s, payload length = %d).", pyBool(binary), len(payload))
		c.SetWirelog(true, true)
		c.SendClose(&normal, "")
	case r.count < rt.Count:
		r.sendRoundTrip(c)
	default:
		r.behavior = report.OK
		r.result = "Ok, received all echo'ed messages in time."
		c.SetWirelog(true, true)
		c.SendClose(&normal, "")
	}
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// Verdict is the judgement of a finished case.
type Verdict struct {
	Behavior      report.Verdict
	BehaviorClose report.Verdict
	Result        string
	ResultClose   string
}

// Judge computes the verdicts once TCP is lost, from what the connection saw.
func (r *Runner) Judge(c *engine.Conn) Verdict {
	rec := c.Record()
	if r.Case.Handshake != nil {
		r.hs.dataFrames = dataFrames(rec.RxFrameStats)
	}
	return r.judge(c.Flags(), c.IsServer(), rec.TxFrameStats)
}

// judge applies the real fuzzer's rules to the closing-behaviour flags of
// the connection, in their order, then the case's own override.
func (r *Runner) judge(f engine.Flags, isServer bool, txFrames chop.Stats) Verdict {
	v := Verdict{Behavior: r.behavior, BehaviorClose: report.Failed, Result: r.result, ResultClose: defaultClose}
	for _, o := range r.Case.Expected {
		if cases.EventsEqual(r.received, o.Events) {
			v.Behavior, v.Result = o.Key, matchedResult
			break
		}
	}
	exp := r.Case.Close
	if f.ConnectionWasOpen {
		switch {
		case exp.ClosedByMe != f.ClosedByMe:
			v.BehaviorClose, v.ResultClose = report.Failed, "The connection was failed by the wrong endpoint"
		case exp.RequireClean && !f.WasClean:
			v.BehaviorClose, v.ResultClose = report.Unclean, "The spec requires the connection to be failed cleanly here"
		case f.RemoteCloseCode != nil && !containsCode(exp.Codes, *f.RemoteCloseCode):
			v.BehaviorClose, v.ResultClose = report.WrongCode, "The close code should have been "+joinCodes(exp.Codes)+" or empty"
		case !isServer && f.DroppedByMe:
			v.BehaviorClose, v.ResultClose = report.FailedByClient, "It is preferred that the server close the TCP connection"
		default:
			v.BehaviorClose, v.ResultClose = report.OK, "Connection was properly closed"
		}
		if exp.WrongEndpointIsFatal && exp.ClosedByMe != f.ClosedByMe {
			v.Behavior = report.Failed
		}
	} else {
		v.BehaviorClose, v.ResultClose = report.Failed, neverOpenResult
	}
	r.override(f, txFrames, &v)
	if r.Case.Handshake != nil {
		r.judgeHandshake(f, &v)
	}
	return v
}

func (r *Runner) override(f engine.Flags, txFrames chop.Stats, v *Verdict) {
	switch r.Case.Judge {
	case cases.WrongCodeFails:
		if v.BehaviorClose == report.WrongCode {
			v.Behavior, v.Result = report.Failed, v.ResultClose
		}
	case cases.Informational:
		v.Behavior, v.BehaviorClose = report.Informational, report.Informational
		v.Result = "Actual events are undefined by the spec."
	case cases.InformationalOrder:
		switch v.Behavior {
		case report.OK:
			v.Result = "Text message was processed before close."
		case report.NonStrict:
			v.Result = "Close was processed before text message could be returned."
		}
		v.Behavior, v.BehaviorClose = report.Informational, report.Informational
	case cases.FrameCount:
		if !f.ConnectionWasOpen {
			v.Behavior, v.Result = report.Failed, "WebSocket connection was never open"
			return
		}
		want := r.expectedFrames()
		got := txFrames
		if got[0] != want[0] || got[1] != want[1] {
			v.Behavior = report.Failed
			v.Result = fmt.Sprintf("Frames transmitted {0: %d, 1: %d} does not match what we expected {0: %d, 1: %d}.", got[0], got[1], want[0], want[1])
		}
	}
}

// expectedFrames is what auto-fragmenting the case's message must give:
// continuation frames and one text frame, by opcode.
func (r *Runner) expectedFrames() map[int]int {
	var size, frag int
	for _, s := range r.Case.Steps {
		switch s.Action {
		case cases.AutoFragment:
			frag = s.Length
		case cases.SendMessage:
			size = len(s.Payload)
			if s.RepeatLen != nil {
				size = *s.RepeatLen
			}
		}
	}
	if frag == 0 {
		return map[int]int{0: 0, 1: 1}
	}
	ones := 0
	if size%frag > 0 {
		ones = 1
	}
	return map[int]int{0: size / frag, 1: ones}
}

func containsCode(codes []int, c int) bool {
	for _, v := range codes {
		if v == c {
			return true
		}
	}
	return false
}

func joinCodes(codes []int) string {
	s := ""
	for i, c := range codes {
		if i > 0 {
			s += ","
		}
		s += fmt.Sprint(c)
	}
	return s
}

// Skipped reports whether the case was skipped by Exclude.
func (r *Runner) Skipped() bool { return r.skipped }

// Received is what the case recorded: messages, pongs and timeouts.
func (r *Runner) Received() []cases.Event { return r.received }

// HardTimeout is the longest a connection for this case may stay up before the
// harness drops it: the case's own bound.
func (r *Runner) HardTimeout() time.Duration { return r.Case.MaxDuration() }
