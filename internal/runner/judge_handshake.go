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
		v.Behavior, v.Result = report.OK, fmt.Sprintf("The server refused with %q and did not switch protocols; %s.", st.status, followed(st.following))
		v.BehaviorClose, v.ResultClose = report.OK, "No WebSocket connection was opened."
	}
	switch {
	case st.status == "":
		v.Behavior, v.Result = report.Failed, "The server sent no complete HTTP response."
	case !st.switched && hs.Must == cases.CarryOn:
		refused()
		v.Behavior, v.Result = report.NonStrict, fmt.Sprintf("The server refused a valid request: it answered %q. A server may refuse any connection (RFC 6455 4.2.2), so this is NON-STRICT, not FAILED; it suggests the server does not read this variant as the RFC defines it.%s", st.status, because)
	case !st.switched && hs.RefusalHeader != "" && !st.refusalHolds(hs.RefusalHeader):
		refused()
		v.Behavior, v.Result = broke, fmt.Sprintf("The server refused with %q but without %q.%s", st.status, hs.RefusalHeader, because)
	case !st.switched:
		refused()
		if hs.Must == cases.AcceptOrRefuse {
			v.Result += " The RFC allows refusing this request."
		}
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
		if st.dataFrames > 0 {
			v.Behavior, v.Result = broke, fmt.Sprintf("The client took an answer it must fail the connection on: %s (%d data frames).%s", r.echoed(), st.dataFrames, because)
			v.BehaviorClose, v.ResultClose = report.Informational, "The fuzzer ended a connection the client should not have taken: "+v.ResultClose
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
		if v.Behavior == report.Failed {
			v.Behavior = broke
		}
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
		return "it sent no message the fuzzer could read"
	}
	return "it sent the message " + strings.Join(msgs, ", ")
}

// refusalHolds reports whether the server's answer holds a field ("Name:
// token") with the token among its values.
func (st *handshakeState) refusalHolds(field string) bool {
	name, token, _ := strings.Cut(field, ":")
	return st.answer.HasToken(name, strings.TrimSpace(token))
}

// followed says what came right after a refusal's head.
func followed(n int) string {
	if n == 0 {
		return "nothing followed the head at once"
	}
	return fmt.Sprintf("%d octets followed the head at once (a body; the fuzzer read no further)", n)
}
