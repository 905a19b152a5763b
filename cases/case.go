// Package cases is the Autobahn catalog as data: for every case its id, a
// description and expectation of our own, what the fuzzer sends (frames,
// messages, closes, chop sizes, timers) and what it expects back (events,
// close behaviour). Case ids, order and pattern matching are those of the real
// fuzzer.
package cases

import (
	"fmt"
	"github.com/wsfuzz/autobahn/report"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// Action is what one step of a case script does.
type Action int

// Step actions.
const (
	// SendFrame sends one raw frame: Opcode, Fin, RSV, Payload (repeated to
	// RepeatLen when set), Chop, Sync. It is sent whatever the state.
	SendFrame Action = iota
	// SendMessage sends a message (Binary, Payload repeated to RepeatLen
	// when set, FragSize) when open.
	SendMessage
	// SendClose sends a valid close (Code, Reason) when open.
	SendClose
	// SendRawClose sends a close frame that may be invalid (Code, Reason).
	SendRawClose
	// KillAfter fails the connection after Delay (close 1001).
	KillAfter
	// CloseAfter sends an empty close after Delay.
	CloseAfter
	// Wait pauses the script for Delay. With Record the remaining steps run
	// only if the connection is still open, and a timeout event with Tag is
	// recorded first.
	Wait
	// BeginMessage starts a streamed message (Binary).
	BeginMessage
	// BeginFrame writes a frame header announcing Length octets.
	BeginFrame
	// FrameData writes raw payload octets of the current streamed frame.
	FrameData
	// EndMessage ends a streamed message with an empty final frame.
	EndMessage
	// AutoFragment sets the automatic fragment size (Length) for messages.
	AutoFragment
)

// Step is one instruction of a case script.
type Step struct {
	Action    Action
	Opcode    byte
	Fin       bool
	RSV       byte
	Payload   []byte
	RepeatLen *int
	Chop      int
	Sync      bool
	Binary    bool
	FragSize  int
	Code      *int
	Reason    []byte
	Delay     time.Duration
	Tag       *string
	Record    bool
	Length    int
}

// MessagePayload is the payload a SendMessage step sends: Payload, or
// Payload repeated and cut to RepeatLen octets when RepeatLen is set. Large
// messages are kept as a pattern so that the catalog holds no big buffers.
func (s Step) MessagePayload() ([]byte, error) {
	if s.RepeatLen == nil {
		return s.Payload, nil
	}
	p, err := frame.Repeat(s.Payload, *s.RepeatLen)
	if err != nil {
		return nil, fmt.Errorf("cases: message payload: %w", err)
	}
	return p, nil
}

// EventKind names an observed event.
type EventKind string

// Event kinds the fuzzer records.
const (
	Message EventKind = "message"
	Pong    EventKind = "pong"
	Timeout EventKind = "timeout"
)

// Event is one observation: a message (Payload, Binary), a pong (Payload) or
// a timeout of a Wait (Tag).
type Event struct {
	Kind    EventKind
	Payload []byte
	Binary  bool
	Tag     string
}

// Equal reports whether two events are the same.
func (e Event) Equal(o Event) bool {
	return e.Kind == o.Kind && string(e.Payload) == string(o.Payload) && e.Binary == o.Binary && e.Tag == o.Tag
}

// EventsEqual reports whether two event lists are the same.
func EventsEqual(a, b []Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// Outcome is one acceptable list of events under the behavior it gives
// (report.OK, report.NonStrict).
type Outcome struct {
	Key    report.Verdict
	Events []Event
}

// ExpectedClose is how the connection is expected to end.
type ExpectedClose struct {
	ClosedByMe   bool  // the fuzzer starts the close
	Codes        []int // acceptable close codes from the peer; the first is the fuzzer's own
	RequireClean bool
	// WrongEndpointIsFatal makes the behaviour FAILED when the wrong side
	// closed (the peer did not detect invalid input).
	WrongEndpointIsFatal bool
}

// Judge selects the verdict rule of a case beyond the standard one.
type Judge int

// Verdict rules.
const (
	// Standard: behaviour from the matching outcome, closing behaviour from
	// ExpectedClose.
	Standard Judge = iota
	// WrongCodeFails: a WRONG CODE closing behaviour also fails the case.
	WrongCodeFails
	// Informational: both verdicts are INFORMATIONAL.
	Informational
	// InformationalOrder: INFORMATIONAL, with a result text telling whether
	// the message or the close was processed first (7.1.6).
	InformationalOrder
	// FrameCount: the fuzzer's own transmitted frame counts must match the
	// auto-fragmentation of the message (10.1.1).
	FrameCount
)

// Echo describes a case judged on a single echo (9.1-9.6): the message must
// come back with the same type and length within Wait.
type Echo struct {
	Binary bool
	Length int
	Wait   time.Duration
	// WrongType is the result text for an echo of the wrong type (the real
	// fuzzer's wording, quirks included).
	WrongType string
}

// RoundTrip describes a latency case (9.7, 9.8): Count messages of Length
// octets, one at a time, each sent when the previous echo arrived.
type RoundTrip struct {
	Binary bool
	Length int
	Count  int
	Wait   time.Duration
}

// Case is one Autobahn test case.
type Case struct {
	ID          string
	Description string
	Expectation string

	// Steps run when the connection opens.
	Steps []Step
	// Expected lists the acceptable event lists, in order; empty for cases
	// judged otherwise (Echo, RoundTrip, Compression).
	Expected []Outcome
	Close    ExpectedClose
	// SuppressClose keeps the fuzzer from closing when the events match.
	SuppressClose bool
	Judge         Judge
	// HexLocalReason reports the fuzzer's own close reason in hex (it is not
	// valid UTF-8 on purpose).
	HexLocalReason bool
	Echo           *Echo
	RoundTrip      *RoundTrip
	Compression    *Compression
	// Handshake, in cases of our own catalog (section H), replaces the
	// fuzzer's usual opening handshake; Steps then run once the peer
	// carried on.
	Handshake *Handshake
}

// Compression describes a permessage-deflate case (12.x, 13.x): Count
// messages of Length units (characters for text, octets for binary) cut from
// a data set, one at a time, each echo checked before the next is sent.
type Compression struct {
	// Corpus is the key of the data set (package corpus).
	Corpus string
	Binary bool
	Length int
	Count  int
	Wait   time.Duration
	// AutoFragment fragments messages (0: not at all).
	AutoFragment int
	// Requests are the permessage-deflate parameters of the case: as a
	// client the fuzzer offers one element per request; as a server it
	// accepts the first offer that fits, trying the requests in order.
	Requests []DeflateRequest
}

// DeflateRequest is what one side asks of the other: no context takeover,
// and a window size as a power of two (0: none).
type DeflateRequest struct {
	NoContextTakeover bool
	MaxWindowBits     int
}

// Heavy reports whether the case keeps the CPU busy, the fuzzer's and the
// peer's: a large message (9.1-9.6), many messages (9.7, 9.8) or compressed
// messages (12.x, 13.x). The scheduler bounds how many such cases work at
// once.
func (c *Case) Heavy() bool { return c.Echo != nil || c.RoundTrip != nil || c.Compression != nil }

// MaxDuration is a generous bound on how long the case can take against a
// well-behaved peer: the sum of its timers and waits plus the protocol
// timeouts. Harnesses use it to stop a peer that never closes.
func (c *Case) MaxDuration() time.Duration {
	var d time.Duration
	for _, s := range c.Steps {
		switch s.Action {
		case KillAfter, CloseAfter, Wait:
			d += s.Delay
		}
	}
	if c.Echo != nil {
		d += c.Echo.Wait
	}
	if c.RoundTrip != nil {
		d += c.RoundTrip.Wait
	}
	if c.Compression != nil {
		d += c.Compression.Wait
	}
	if c.Handshake != nil {
		d += c.Handshake.FailWait
	}
	return d + 10*time.Second
}

func (c *Case) String() string { return fmt.Sprintf("case %s", c.ID) }
