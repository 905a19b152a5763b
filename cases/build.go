package cases

import (
	"github.com/wsfuzz/autobahn/report"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// Helpers that keep the case tables short.

func intp(v int) *int       { return &v }
func strp(v string) *string { return &v }

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// raw is one raw frame with a literal payload.
func raw(op byte, fin bool, rsv byte, payload string) Step {
	return Step{Action: SendFrame, Opcode: op, Fin: fin, RSV: rsv, Payload: []byte(payload)}
}

// repeated is one final frame whose payload is pattern repeated to n octets.
func repeated(op byte, pattern string, n int) Step {
	s := raw(op, true, 0, pattern)
	s.RepeatLen = intp(n)
	return s
}

func (s Step) chopped(n int) Step { s.Chop = n; return s }
func (s Step) synced() Step       { s.Sync = true; return s }

// text and binary are final frames.
func text(payload string) Step   { return raw(frame.OpText, true, 0, payload) }
func binary(payload string) Step { return raw(frame.OpBinary, true, 0, payload) }
func ping(payload string) Step   { return raw(frame.OpPing, true, 0, payload) }

func message(bin bool, payload string, fragSize int) Step {
	return Step{Action: SendMessage, Binary: bin, Payload: []byte(payload), FragSize: fragSize}
}

func closeWith(code int, reason string) Step {
	s := Step{Action: SendClose, Code: intp(code)}
	if reason != "" {
		s.Reason = []byte(reason)
	}
	return s
}

func rawClose(code *int, reason string) Step {
	s := Step{Action: SendRawClose, Code: code}
	if reason != "" {
		s.Reason = []byte(reason)
	}
	return s
}

func killAfter(s float64) Step  { return Step{Action: KillAfter, Delay: seconds(s)} }
func closeAfter(s float64) Step { return Step{Action: CloseAfter, Delay: seconds(s)} }

// pause waits and goes on whatever the state; waitOpen records a timeout with
// tag and goes on only while the connection is open.
func pause(s float64) Step { return Step{Action: Wait, Delay: seconds(s)} }
func waitOpen(s float64, tag string) Step {
	return Step{Action: Wait, Delay: seconds(s), Tag: strp(tag), Record: true}
}

func steps(s ...Step) []Step { return s }

// Events.
func msgText(p string) Event   { return Event{Kind: Message, Payload: []byte(p)} }
func msgBinary(p string) Event { return Event{Kind: Message, Payload: []byte(p), Binary: true} }
func pong(p string) Event      { return Event{Kind: Pong, Payload: []byte(p)} }
func timeout(tag string) Event { return Event{Kind: Timeout, Tag: tag} }

// ok is the single acceptable outcome.
func ok(events ...Event) []Outcome {
	return []Outcome{{Key: report.OK, Events: nonNil(events)}}
}

// okOrNonStrict accepts the OK events, or the NON-STRICT ones.
func okOrNonStrict(okEvents, nonStrict []Event) []Outcome {
	return []Outcome{{Key: report.OK, Events: nonNil(okEvents)}, {Key: report.NonStrict, Events: nonNil(nonStrict)}}
}

func nonNil(e []Event) []Event {
	if e == nil {
		return []Event{}
	}
	return e
}

// Close expectations.
var (
	// fuzzerClosesClean: the fuzzer closes with 1000 and a clean close is required.
	fuzzerClosesClean = ExpectedClose{ClosedByMe: true, Codes: []int{frame.CloseNormal}, RequireClean: true}
	// peerFailsProtocol: the peer must fail the connection (1002), clean or not.
	peerFailsProtocol = ExpectedClose{ClosedByMe: false, Codes: []int{frame.CloseProtocolError}}
)

func repeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for i := 0; i < n; i++ {
		b = append(b, s...)
	}
	return string(b)
}
