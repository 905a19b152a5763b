package runner

import (
	"fmt"
	"strings"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/report"
)

// judgeHandshake turns the verdicts of a handshake case into what its
// requirement says; v holds the catalog's verdicts of what followed the
// handshake (the echo and the close).
func (r *Runner) judgeHandshake(f engine.Flags, v *Verdict) {
	broke := report.Failed
	hs := r.Case.Handshake
	if hs.Level == cases.ShouldLevel {
		broke = report.NonStrict
	}
	because := " (" + hs.Rule + ")"
	switch hs.Tests {
	case cases.ServerPeer:
		r.judgeServer(v, broke, because)
	case cases.ClientPeer:
		r.judgeClient(f, v, broke, because)
	}
}

// judgeServer judges a server under test from its answer to the request.
func (r *Runner) judgeServer(v *Verdict, broke report.Verdict, because string) {
	hs, st := r.Case.Handshake, &r.hs
	refused := func() {
		v.Behavior, v.Result = report.OK, fmt.Sprintf("The server refused with %q and did not switch protocols.", st.status)
		v.BehaviorClose, v.ResultClose = report.OK, "No WebSocket connection was opened."
	}
	switch {
	case st.status == "":
		v.Behavior, v.Result = report.Failed, "The server sent no complete HTTP response."
	case !st.switched && hs.Must == cases.CarryOn && broke == report.NonStrict:
		// The RFC only recommends accepting this request: a refusal is
		// NON-STRICT, and no connection was to be closed.
		refused()
		v.Behavior, v.Result = broke, fmt.Sprintf("The server refused a request it should accept: it answered %q.%s", st.status, because)
	case !st.switched && hs.Must == cases.CarryOn:
		v.Behavior, v.Result = broke, fmt.Sprintf("The server refused a request it must accept: it answered %q.%s", st.status, because)
	case !st.switched && hs.RefusalHeader != "" && !st.refusalHolds(hs.RefusalHeader):
		refused()
		v.Behavior, v.Result = broke, fmt.Sprintf("The server refused with %q but without %q.%s", st.status, hs.RefusalHeader, because)
	case !st.switched:
		refused()
	case hs.Must == cases.Refuse:
		v.Behavior, v.Result = broke, fmt.Sprintf("The server switched protocols (%q) on a request it must refuse; then %s.%s", st.status, r.echoed(), because)
	case hs.Must == cases.Decline && st.accepted:
		v.Behavior, v.Result = broke, fmt.Sprintf("The server accepted an offer it must decline: it answered Sec-WebSocket-Extensions: %s.%s", strings.Join(st.answer.Fields["sec-websocket-extensions"], ", "), because)
	case len(st.broken) > 0:
		v.Behavior, v.Result = broke, "The server's 101 answer breaks "+strings.Join(st.broken, "; ")+"."
	}
}

// judgeClient judges a client under test from what it did with the answer.
func (r *Runner) judgeClient(f engine.Flags, v *Verdict, broke report.Verdict, because string) {
	hs, st := r.Case.Handshake, &r.hs
	switch {
	case st.unimplemented != "":
		v.Behavior, v.Result = report.Unimplemented, st.unimplemented
	case hs.Must == cases.FailConnection:
		if len(r.received) > 0 {
			v.Behavior, v.Result = broke, fmt.Sprintf("The client took an answer it must fail the connection on: %s.%s", r.echoed(), because)
			return
		}
		if st.dataFrames > 0 {
			// A client that takes a permessage-deflate answer it must fail
			// on sends compressed frames, which the fuzzer (that never
			// agreed to compression) fails the connection on before they
			// make a message.
			v.Behavior, v.Result = broke, fmt.Sprintf("The client took an answer it must fail the connection on: it sent %d data frame(s) the fuzzer could not take as a message (compressed or otherwise invalid).%s", st.dataFrames, because)
			return
		}
		v.Behavior, v.Result = report.OK, "The client sent no data frame after the answer."
		switch {
		case st.heldOpen:
			v.BehaviorClose, v.ResultClose = broke, fmt.Sprintf("The client still held the connection %v after the answer; the fuzzer dropped it.%s", hs.FailWait, because)
		case f.RemoteCloseCode != nil:
			v.BehaviorClose, v.ResultClose = report.OK, fmt.Sprintf("The client sent a close frame (code %d) and the connection ended.", *f.RemoteCloseCode)
		default:
			v.BehaviorClose, v.ResultClose = report.OK, "The client closed the connection."
		}
	case v.Behavior != report.OK && broke == report.NonStrict && len(r.received) == 0 && st.dataFrames == 0:
		// The RFC only recommends taking this answer: a client that ended
		// the connection on it without a word is NON-STRICT, not FAILED.
		v.Behavior, v.Result = broke, "The client did not carry on after an answer it should take."+because
		v.BehaviorClose, v.ResultClose = report.OK, "The client ended the connection after the answer."
	case v.Behavior != report.OK:
		v.Result = "The client did not carry on after an answer it must take. " + v.Result + because
	}
}

// echoed says what the peer sent back of the case's messages.
func (r *Runner) echoed() string {
	var msgs []string
	for _, e := range r.received {
		if e.Kind == cases.Message {
			msgs = append(msgs, fmt.Sprintf("%q", e.Payload))
		}
	}
	if len(msgs) == 0 {
		return "it sent no message"
	}
	return "it sent the message " + strings.Join(msgs, ", ")
}

// refusalHolds reports whether the server's answer holds a field ("Name:
// token") with the token among its values.
func (st *handshakeState) refusalHolds(field string) bool {
	name, token, _ := strings.Cut(field, ":")
	return st.answer.HasToken(name, strings.TrimSpace(token))
}
