package handshake

import (
	"fmt"
	"strings"

	"github.com/wsfuzz/autobahn/internal/deflate"
)

// The permessage-deflate rules of RFC 7692, read strictly: these judge a
// peer, where package deflate negotiates as the real fuzzer does.

// offerParams are the parameters RFC 7692 7.1 defines for an offer, with
// whether each takes a value: "yes", "no" or "may".
var offerParams = map[string]string{
	"server_no_context_takeover": "no",
	"client_no_context_takeover": "no",
	"server_max_window_bits":     "yes",
	"client_max_window_bits":     "may",
}

// answerParams are those RFC 7692 7.1 defines for a response. 7.1.2.2
// describes client_max_window_bits in a response with a value only, but
// does not call the bare form invalid: it is not held against a server
// (case H.6.11 reports a client taking it as NON-STRICT).
var answerParams = map[string]string{
	"server_no_context_takeover": "no",
	"client_no_context_takeover": "no",
	"server_max_window_bits":     "yes",
	"client_max_window_bits":     "may",
}

// CheckOffer says why a permessage-deflate offer is one a server MUST
// decline (RFC 7692 7: a parameter not defined for an offer, an invalid
// value, a repeated parameter), or nil.
func CheckOffer(e deflate.Extension) error { return checkParams(e, offerParams, "an offer") }

// CheckAnswerParams says why a permessage-deflate answer is one a client
// MUST fail the connection on by its parameters alone (RFC 7692 7), or nil.
func CheckAnswerParams(e deflate.Extension) error { return checkParams(e, answerParams, "a response") }

func checkParams(e deflate.Extension, defined map[string]string, what string) error {
	for _, key := range e.Keys {
		vals := e.Params[key]
		want, ok := defined[key]
		switch {
		case !ok:
			return fmt.Errorf("RFC 7692 7: parameter %s is not defined for %s", key, what)
		case len(vals) > 1:
			return fmt.Errorf("RFC 7692 7: parameter %s appears %d times", key, len(vals))
		case want == "no" && vals[0].HasValue:
			return fmt.Errorf("RFC 7692 7.1.1: %s takes no value, got %q", key, vals[0].Value)
		case want == "yes" && !vals[0].HasValue:
			return fmt.Errorf("RFC 7692 7.1.2: %s needs a value", key)
		case vals[0].HasValue && want != "no":
			if _, err := windowBits(vals[0].Value); err != nil {
				return fmt.Errorf("RFC 7692 7.1.2: %s=%s: %w", key, vals[0].Value, err)
			}
		}
	}
	return nil
}

// windowBits reads a window size as RFC 7692 7.1.2 writes it: a decimal
// integer from 8 to 15 without leading zeroes.
func windowBits(v string) (int, error) {
	n := 0
	for i, c := range v {
		if c < '0' || c > '9' || (i == 0 && c == '0') {
			return 0, fmt.Errorf("not a decimal integer without leading zeroes")
		}
		n = n*10 + int(c-'0')
		if n > 99 {
			break
		}
	}
	if n < deflate.MinWindowBits || n > deflate.MaxWindowBits {
		return 0, fmt.Errorf("outside 8 to 15")
	}
	return n, nil
}

// FitsOffer says why a valid answer cannot be the acceptance of a valid
// offer, or nil.
func FitsOffer(answer, offer deflate.Extension) error {
	has := func(e deflate.Extension, k string) bool { return len(e.Params[k]) > 0 }
	value := func(e deflate.Extension, k string) int {
		n, _ := windowBits(e.Params[k][0].Value)
		return n
	}
	switch {
	case has(offer, "server_no_context_takeover") && !has(answer, "server_no_context_takeover"):
		return fmt.Errorf("RFC 7692 7.1.1.1: the offer holds server_no_context_takeover and the answer does not")
	case has(offer, "server_max_window_bits") && !has(answer, "server_max_window_bits"):
		return fmt.Errorf("RFC 7692 7.1.2.1: the offer holds server_max_window_bits=%d and the answer has no server_max_window_bits", value(offer, "server_max_window_bits"))
	case has(offer, "server_max_window_bits") && value(answer, "server_max_window_bits") > value(offer, "server_max_window_bits"):
		return fmt.Errorf("RFC 7692 7.1.2.1: the answer's server_max_window_bits=%d is above the offered %d", value(answer, "server_max_window_bits"), value(offer, "server_max_window_bits"))
	case has(answer, "client_max_window_bits") && !has(offer, "client_max_window_bits"):
		return fmt.Errorf("RFC 7692 7.1.2.2: the answer holds client_max_window_bits and the offer does not")
	}
	return nil
}

// CheckAnswer says why the Sec-WebSocket-Extensions answer of a server
// breaks RFC 7692 for the offers the client made, or nil: at most one
// permessage-deflate (RFC 7692 5: both would use RSV1), valid parameters
// (7), and the acceptance of one valid offer (7.1).
func CheckAnswer(answer, offers string) error {
	var pmd []deflate.Extension
	for _, e := range deflate.ParseExtensions(answer) {
		if e.Name == deflate.Name {
			pmd = append(pmd, e)
		}
	}
	switch {
	case len(pmd) == 0:
		return nil
	case len(pmd) > 1:
		return fmt.Errorf("RFC 7692 5: the answer accepts permessage-deflate %d times", len(pmd))
	}
	if err := CheckAnswerParams(pmd[0]); err != nil {
		return err
	}
	var why []string
	for _, o := range deflate.ParseExtensions(offers) {
		if o.Name != deflate.Name || CheckOffer(o) != nil {
			continue
		}
		err := FitsOffer(pmd[0], o)
		if err == nil {
			return nil
		}
		why = append(why, err.Error())
	}
	if len(why) == 0 {
		return fmt.Errorf("RFC 7692 7: the answer accepts permessage-deflate and no valid permessage-deflate was offered")
	}
	return fmt.Errorf("the answer fits no valid offer: %s", strings.Join(why, "; "))
}
