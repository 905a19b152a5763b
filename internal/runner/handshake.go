package runner

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/deflate"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/handshake"
)

// handshakeState is what a handshake case saw of the opening handshake.
type handshakeState struct {
	// request is the request the fuzzer sent (server under test).
	request string
	// answer is the server's response head and status its status line
	// (server under test).
	answer handshake.Head
	status string
	// following counts the octets that came right after a refusal's head.
	following int
	// switched: the server answered 101 (server under test).
	switched bool
	// accepted: the server's answer holds permessage-deflate.
	accepted bool
	// broken lists the rules the server's answer broke.
	broken []string
	// unimplemented says why the case does not apply to the client.
	unimplemented string
	// heldOpen: the client still held the connection when the fuzzer gave
	// up waiting for it to fail it.
	heldOpen bool
	// dataFrames counts the data frames the peer sent, those the fuzzer
	// could not take as a message too (compressed ones on a connection
	// without permessage-deflate).
	dataFrames int
}

// dataFrames counts the data frames (opcodes below 8) of frame stats by
// opcode.
func dataFrames(byOpcode map[int]int) int {
	n := 0
	for op, count := range byOpcode {
		if op < 8 {
			n += count
		}
	}
	return n
}

// Handler is the engine handler of the case's connection: the runner, or
// for a handshake case the runner with the hooks that write and judge the
// opening handshake.
func (r *Runner) Handler() engine.Handler {
	if r.Case.Handshake == nil {
		return r
	}
	return &handshaker{r}
}

// handshaker is a Runner playing a handshake case.
type handshaker struct{ *Runner }

// WriteRequest fills in the case's request (server under test).
func (h *handshaker) WriteRequest(u *url.URL, key string) string {
	resource := u.EscapedPath()
	if resource == "" {
		resource = "/"
	}
	if u.RawQuery != "" {
		resource += "?" + u.RawQuery
	}
	h.hs.request = handshake.Fill(h.Case.Handshake.Request, map[string]string{
		"resource": resource, "host": u.Host, "hostname": u.Hostname(), "key": key,
	})
	return h.hs.request
}

// JudgeResponse records what the server answered and opens the connection
// on any 101, so that what the server does next is seen too.
func (h *handshaker) JudgeResponse(resp *engine.Response) error {
	st := &h.hs
	answer := handshake.ParseHead(resp.Raw)
	st.answer, st.status = answer, answer.First
	if resp.Status != 101 {
		st.following = len(resp.Following)
		return fmt.Errorf("the server answered %q", st.status)
	}
	st.switched = true
	for _, e := range deflate.ParseExtensions(strings.Join(answer.Fields["sec-websocket-extensions"], ", ")) {
		st.accepted = st.accepted || e.Name == deflate.Name
	}
	st.broken = handshake.CheckSwitch(handshake.ParseHead(st.request), answer)
	return nil
}

// NegotiateClient takes the server's answer as it stands: the case judged it
// already, and the connection carries on with what the server chose.
func (h *handshaker) NegotiateClient(accepted string) (engine.Compression, error) {
	codec, err := deflate.NegotiateClient(accepted, true)
	if err != nil || codec == nil {
		return nil, err
	}
	return codec, nil
}

// WriteResponse fills in the case's answer (client under test); a case the
// client's offer does not fit gets the usual answer and is UNIMPLEMENTED.
func (h *handshaker) WriteResponse(req *engine.Request, accept string) (string, engine.Compression, error) {
	hs := h.Case.Handshake
	offer, offered := handshake.FirstOffer(strings.Join(req.Header["sec-websocket-extensions"], ", "))
	if why := unfit(hs, offer, offered); why != "" {
		h.hs.unimplemented = why
		return usualAnswer(accept), nil, nil
	}
	vars := handshake.DeflateAnswers(offer)
	vars["accept"] = accept
	vars["badaccept"] = handshake.AcceptKey("wsfuzz: not the client's key")
	answer := handshake.Fill(hs.Response, vars)
	if hs.Must != cases.CarryOn {
		return answer, nil, nil
	}
	for _, e := range deflate.ParseExtensions(handshake.ParseHead(answer).Get("Sec-WebSocket-Extensions")) {
		s, err := deflate.ParseResponse(e)
		if err != nil {
			return "", nil, fmt.Errorf("harness: case %s answers %q: %w", h.Case.ID, e.Name, err)
		}
		codec, err := deflate.NewCodec(true, s)
		if err != nil {
			return "", nil, fmt.Errorf("harness: case %s: %w", h.Case.ID, err)
		}
		return answer, codec, nil
	}
	return answer, nil, nil
}

// unfit says why the client's offer does not fit the case, or "".
func unfit(hs *cases.Handshake, offer deflate.Extension, offered bool) string {
	switch {
	case hs.NeedsOffer == "":
	case !offered:
		return "The client offered no permessage-deflate, which this case answers."
	case hs.NeedsOffer != deflate.Name && len(offer.Params[hs.NeedsOffer]) == 0:
		return fmt.Sprintf("The client's permessage-deflate offer has no %s, which this case answers.", hs.NeedsOffer)
	}
	if hs.OfferLacks != "" && offered && len(offer.Params[hs.OfferLacks]) > 0 {
		return fmt.Sprintf("The client's permessage-deflate offer has %s, so the answer of this case would be valid.", hs.OfferLacks)
	}
	return ""
}

func usualAnswer(accept string) string {
	return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n"
}

// openHandshake starts a handshake case once the connection is open.
func (r *Runner) openHandshake(c *engine.Conn) {
	hs := r.Case.Handshake
	normal := 1000
	switch {
	case r.hs.unimplemented != "":
		c.SendClose(&normal, "")
		return
	case hs.Must == cases.FailConnection:
		r.play(c, r.Case.Steps)
		c.ContinueLater(hs.FailWait, nil, func() {
			r.hs.heldOpen = true
			c.DropConnection(true)
		})
		return
	}
	r.play(c, r.Case.Steps)
}
