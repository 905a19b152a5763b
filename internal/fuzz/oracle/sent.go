package oracle

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
)

// Message is a data message: its type and payload.
type Message struct {
	Binary  bool
	Payload []byte
}

func (m Message) String() string {
	kind := "text"
	if m.Binary {
		kind = "binary"
	}
	if len(m.Payload) > 40 {
		return fmt.Sprintf("%s message of %d octets %q...", kind, len(m.Payload), m.Payload[:40])
	}
	return fmt.Sprintf("%s message of %d octets %q", kind, len(m.Payload), m.Payload)
}

// Sent is what a script sends, as a conforming peer reads it.
type Sent struct {
	// Messages are the whole messages sent before the first violation and
	// before the first close frame: those an echo peer may echo, in order.
	Messages []Message
	// Later are the messages completed after that point.
	Later []Message
	// Ping is the payload of the latest ping before the first violation and
	// the first close frame; HasPing tells whether there is one, PingAction
	// its action's number (1-based).
	Ping       []byte
	HasPing    bool
	PingAction int
	// MessagesBeforePing is how many of Messages were complete before it.
	MessagesBeforePing int
	// Violation is the number (1-based) of the first action at which the
	// peer must fail the connection, 0 if none; Why says what it breaks.
	Violation int
	Why       string
	// MayFail is the number of the first action at which the peer may fail
	// the connection (a violation, or a frame the RFC lets it refuse: a
	// length not in minimal form, a close code it need not accept), 0 if
	// none. A ping or a close from then on need no answer.
	MayFail int
	// Close is the number of the first action that sends a close frame, 0
	// if none; CloseValid tells whether the peer must answer that close
	// frame: it is valid and comes before anything the peer may fail on.
	Close      int
	CloseValid bool
	// AfterClose tells whether the script sends a frame after its first
	// close frame.
	AfterClose bool
	// HalfClose tells whether the script shuts its side for writing.
	HalfClose bool
	// Unfinished is the data message begun before the first violation and
	// the first close whose final fragment never came before the close or
	// the end of the script (its payload so far), nil if none;
	// UnfinishedAction is the number of its first frame.
	Unfinished       *Message
	UnfinishedAction int
}

// reader follows a script's frames as a conforming peer reads them.
type reader struct {
	fuzzerIsClient bool
	inMessage      bool
	start          int // the action (1-based) that began the message
	binary         bool
	payload        []byte
	utf8           utf8stream.Validator
}

// Model returns what script s (finished: see script.Script.Finished) sends
// when the fuzzer plays it as a client (fuzzerIsClient) or a server.
func Model(s script.Script, fuzzerIsClient bool) Sent {
	var out Sent
	r := reader{fuzzerIsClient: fuzzerIsClient}
	unfinished := func() {
		if r.inMessage && out.Violation == 0 && out.Close == 0 {
			out.Unfinished = &Message{Binary: r.binary, Payload: r.payload}
			out.UnfinishedAction = r.start
		}
	}
	for i, a := range s.Actions {
		n := i + 1
		if a.Kind == script.HalfClose {
			out.HalfClose = true
			break
		}
		if a.Opcode == frame.OpClose {
			unfinished()
		}
		stopped := out.Violation != 0 || out.Close != 0
		if out.Close != 0 {
			out.AfterClose = true
		}
		p := a.Payload()
		why, msg, done := r.read(a, p)
		if r.inMessage && r.start == 0 {
			r.start = n
		}
		if why != "" && out.Violation == 0 && out.Close == 0 {
			out.Violation, out.Why = n, why
		}
		if out.MayFail == 0 && (why != "" || a.NonMinimal() || doubtfulClose(a.Opcode, p)) {
			out.MayFail = n
		}
		if a.Opcode == frame.OpClose && out.Close == 0 {
			out.Close = n
			out.CloseValid = out.MayFail == 0
		}
		switch {
		case done && !stopped && out.Violation == 0 && out.Close == 0:
			out.Messages = append(out.Messages, msg)
		case done:
			out.Later = append(out.Later, msg)
		case a.Opcode == frame.OpPing && !stopped && out.MayFail == 0:
			out.Ping, out.HasPing, out.PingAction = p, true, n
			out.MessagesBeforePing = len(out.Messages)
		}
	}
	unfinished()
	return out
}

// read takes frame a and returns why the peer must fail on it ("" if it
// need not) and the message it completes, if any.
func (r *reader) read(a script.Action, p []byte) (why string, msg Message, done bool) {
	switch {
	case a.BadMask && r.fuzzerIsClient:
		return "an unmasked frame from a client (RFC 6455 5.1)", msg, false
	case a.BadMask:
		return "a masked frame from a server (RFC 6455 5.1)", msg, false
	case a.RSV != 0:
		return fmt.Sprintf("RSV=%d without an extension (RFC 6455 5.2)", a.RSV), msg, false
	case a.Opcode > 2 && a.Opcode < 8 || a.Opcode > 10:
		return fmt.Sprintf("reserved opcode %d (RFC 6455 5.2)", a.Opcode), msg, false
	case frame.IsControl(a.Opcode):
		return r.control(a, p), msg, false
	case a.Opcode == frame.OpContinuation && !r.inMessage:
		return "a continuation frame outside a message (RFC 6455 5.4)", msg, false
	case a.Opcode != frame.OpContinuation && r.inMessage:
		return "a new message inside a fragmented one (RFC 6455 5.4)", msg, false
	}
	if a.Opcode != frame.OpContinuation {
		r.inMessage, r.binary, r.payload = true, a.Opcode == frame.OpBinary, nil
		r.utf8.Reset()
	}
	r.payload = append(r.payload, p...)
	if !r.binary && (!r.utf8.Write(p) || a.Fin && !r.utf8.Complete()) {
		r.inMessage, r.start = false, 0
		return "a text message that is not UTF-8 (RFC 6455 8.1)", msg, false
	}
	if !a.Fin {
		return "", msg, false
	}
	r.inMessage, r.start = false, 0
	return "", Message{Binary: r.binary, Payload: r.payload}, true
}

// control checks a control frame.
func (r *reader) control(a script.Action, p []byte) string {
	switch {
	case len(p) > 125:
		return fmt.Sprintf("a control frame of %d octets (RFC 6455 5.5)", len(p))
	case !a.Fin:
		return "a fragmented control frame (RFC 6455 5.5)"
	case a.Opcode != frame.OpClose:
		return ""
	case len(p) == 1:
		return "a close body of one octet (RFC 6455 5.5.1)"
	case len(p) >= 2 && !utf8stream.Valid(p[2:]):
		return "a close reason that is not UTF-8 (RFC 6455 8.1)"
	}
	return ""
}

// doubtfulClose reports whether a frame of opcode op and payload p is a
// close frame whose code a peer may refuse: any code but 1000-1003,
// 1007-1011 and 3000-4999 (RFC 6455 7.4.1, 7.4.2 and the IANA registry of
// 7.4.2 leave the others in doubt).
func doubtfulClose(op byte, p []byte) bool {
	if op != frame.OpClose || len(p) < 2 {
		return false
	}
	code := int(p[0])<<8 | int(p[1])
	return !mustAccept(code)
}

// mustAccept reports whether every peer must accept close code code.
func mustAccept(code int) bool {
	return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1011 || code >= 3000 && code <= 4999
}
