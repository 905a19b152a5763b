// Package handshake holds the rules of RFC 6455 4 and RFC 7692 5 and 7 that
// the cases of our own catalog (section H) judge an opening handshake by,
// one small function each with its section, and the filling in of the
// heads those cases send.
package handshake

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"
)

// Head is an HTTP head: its first line and its header fields by lower-case
// name, each with every value it was given.
type Head struct {
	First  string
	Fields map[string][]string
}

// ParseHead reads a raw HTTP head (lines ending in CRLF); lines that are not
// fields are skipped.
func ParseHead(raw string) Head {
	lines := strings.Split(strings.TrimRight(raw, "\r\n"), "\r\n")
	h := Head{First: lines[0], Fields: map[string][]string{}}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ":"); ok {
			k = strings.ToLower(strings.TrimSpace(k))
			h.Fields[k] = append(h.Fields[k], strings.TrimSpace(v))
		}
	}
	return h
}

// Get is the first value of a field, or "".
func (h Head) Get(name string) string {
	if v := h.Fields[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Tokens is every comma-separated element of every value of a field, trimmed.
func (h Head) Tokens(name string) []string {
	var out []string
	for _, v := range h.Fields[strings.ToLower(name)] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// HasToken reports whether a field holds token, in any case.
func (h Head) HasToken(name, token string) bool {
	for _, t := range h.Tokens(name) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}

// AcceptKey is Sec-WebSocket-Accept for a key (RFC 6455 1.3, 4.2.2).
func AcceptKey(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// switchRule is one rule a 101 answer must keep: it returns what is wrong,
// or "".
type switchRule func(req, resp Head) string

// switchRules are the items of RFC 6455 4.1 a client checks, which are
// what 4.2.2 requires the server to send.
var switchRules = []switchRule{upgradeRule, connectionRule, acceptRule, subprotocolRule, extensionRule, deflateRule}

// CheckSwitch lists how a 101 answer to req breaks RFC 6455 4.1/4.2.2 or
// RFC 7692; empty when it keeps every rule.
func CheckSwitch(req, resp Head) []string {
	var out []string
	for _, r := range switchRules {
		if why := r(req, resp); why != "" {
			out = append(out, why)
		}
	}
	return out
}

// upgradeRule: RFC 6455 4.1 item 2, 4.2.2 item 5.2.
func upgradeRule(_, resp Head) string {
	if !resp.HasToken("Upgrade", "websocket") {
		return fmt.Sprintf("RFC 6455 4.2.2: the answer's Upgrade is %q, not websocket", resp.Get("Upgrade"))
	}
	return ""
}

// connectionRule: RFC 6455 4.1 item 3, 4.2.2 item 5.3.
func connectionRule(_, resp Head) string {
	if !resp.HasToken("Connection", "Upgrade") {
		return fmt.Sprintf("RFC 6455 4.2.2: the answer's Connection is %q, without the token Upgrade", resp.Get("Connection"))
	}
	return ""
}

// acceptRule: RFC 6455 4.1 item 4, 4.2.2 item 5.4.
func acceptRule(req, resp Head) string {
	want := AcceptKey(req.Get("Sec-WebSocket-Key"))
	if got := resp.Fields["sec-websocket-accept"]; len(got) != 1 || got[0] != want {
		return fmt.Sprintf("RFC 6455 4.2.2: Sec-WebSocket-Accept is %q, want %q", strings.Join(got, ", "), want)
	}
	return ""
}

// subprotocolRule: RFC 6455 4.1 item 6 and 4.2.2 /subprotocol/: one value,
// one the client offered.
func subprotocolRule(req, resp Head) string {
	got := resp.Fields["sec-websocket-protocol"]
	if len(got) == 0 {
		return ""
	}
	if len(got) > 1 || strings.Contains(got[0], ",") {
		return fmt.Sprintf("RFC 6455 4.2.2: the answer names more than one subprotocol: %q", strings.Join(got, ", "))
	}
	for _, p := range req.Tokens("Sec-WebSocket-Protocol") {
		if p == got[0] {
			return ""
		}
	}
	return fmt.Sprintf("RFC 6455 4.2.2: the answer's subprotocol %q was not offered (offered: %q)", got[0], strings.Join(req.Tokens("Sec-WebSocket-Protocol"), ", "))
}

// extensionRule: RFC 6455 4.1 item 5 and 9.1: every extension of the answer
// was offered.
func extensionRule(req, resp Head) string {
	offered := map[string]bool{}
	for _, e := range req.Tokens("Sec-WebSocket-Extensions") {
		name, _, _ := strings.Cut(e, ";")
		offered[strings.ToLower(strings.TrimSpace(name))] = true
	}
	for _, e := range resp.Tokens("Sec-WebSocket-Extensions") {
		name, _, _ := strings.Cut(e, ";")
		if name = strings.ToLower(strings.TrimSpace(name)); !offered[name] {
			return fmt.Sprintf("RFC 6455 9.1: the answer uses extension %q, which was not offered", name)
		}
	}
	return ""
}

// deflateRule: RFC 7692 5 and 7, see CheckAnswer.
func deflateRule(req, resp Head) string {
	answer := strings.Join(resp.Fields["sec-websocket-extensions"], ", ")
	if err := CheckAnswer(answer, strings.Join(req.Fields["sec-websocket-extensions"], ", ")); err != nil {
		return err.Error()
	}
	return ""
}
