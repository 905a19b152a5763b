package peers

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// clientFault names one rule of RFC 6455 4.1 or RFC 7692 the client breaks;
// "" is the strict client.
type clientFault string

// The client's faults, each breaking one rule.
const (
	c2xxSwitches             clientFault = "takes a 2xx status as a switch, unchecked"
	cStatusNotChecked        clientFault = "checks the answer only when the status is 101, and carries on otherwise"
	cAcceptNotChecked        clientFault = "does not compare Sec-WebSocket-Accept with the key's hash"
	cAcceptMissingOK         clientFault = "takes an answer without Sec-WebSocket-Accept"
	cUpgradeMissingOK        clientFault = "takes an answer without Upgrade"
	cUpgradeNotChecked       clientFault = "takes any Upgrade value"
	cConnectionMissingOK     clientFault = "takes an answer without Connection"
	cConnectionNotChecked    clientFault = "takes any Connection value"
	cProtocolNotChecked      clientFault = "takes a subprotocol it did not offer"
	cUnknownExtensionIgnored clientFault = "ignores an extension it did not offer"
	cNamesCaseSensitive      clientFault = "compares header names case-sensitively"
	cReasonRequired          clientFault = `fails on a reason phrase other than "Switching Protocols"`
	cUnknownHeaderRejected   clientFault = "fails on header fields it does not know"
	cUpgradeCaseSensitive    clientFault = "compares the Upgrade value case-sensitively"
	cConnectionCaseSensitive clientFault = "compares the Connection token case-sensitively"
	cConnectionWhole         clientFault = "compares Connection as a whole value, not a token list"
	cSpaceOnly               clientFault = "trims spaces around header values but not tabs"
	cBareAnswerRejected      clientFault = "fails on a permessage-deflate answer without parameters"
	cNoContextRequired       clientFault = "fails on an answer without the client_no_context_takeover it offered"
	cServerWindowRejected    clientFault = "fails on server_max_window_bits it did not offer"
	cServerWindowExact       clientFault = "fails on a server_max_window_bits below the offered one"
	cServerNoContextRejected clientFault = "fails on server_no_context_takeover it did not offer"
	cClientNoContextRejected clientFault = "fails on client_no_context_takeover in the answer"
	cContextDespiteNoContext clientFault = "uses context takeover although the answer has client_no_context_takeover"
	cClientWindowRejected    clientFault = "fails on client_max_window_bits in the answer"
	cWindowRangeNotChecked   clientFault = "takes window bits out of 8 to 15"
	cUnknownParamIgnored     clientFault = "ignores an unknown permessage-deflate parameter"
	cRepeatedParamAccepted   clientFault = "takes a repeated permessage-deflate parameter"
	cDeflateTwiceAccepted    clientFault = "takes permessage-deflate answered twice (uses the first)"
	cUnofferedWindowAccepted clientFault = "takes client_max_window_bits it did not offer"
	cValuelessWindowAccepted clientFault = "takes client_max_window_bits without a value (as 15)"
)

// clientConfig is what the client offers.
type clientConfig struct {
	// offer is the permessage-deflate offer ("" for none): the extension
	// element as sent, e.g. "permessage-deflate; client_max_window_bits".
	offer     string
	protocols []string
	fault     clientFault
}

// Offers the tests use.
const (
	offerFull  = "permessage-deflate; client_no_context_takeover; client_max_window_bits"
	offerPlain = "permessage-deflate"
	// offerWindow limits the server's window, so that H.6.2 applies.
	offerWindow = "permessage-deflate; server_max_window_bits=12; client_max_window_bits"
)

// client is the reference echo client.
type client struct{ cfg clientConfig }

func (cl *client) is(f clientFault) bool { return cl.cfg.fault == f }

// run is a harness.ClientFunc: it dials rawURL, checks the answer and
// echoes until the close handshake. On an answer it must fail it closes TCP
// without sending anything and returns why.
func (cl *client) run(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" {
		return fmt.Errorf("client: bad URL %q", rawURL)
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))

	var raw [16]byte
	_, _ = rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])
	target := u.EscapedPath()
	if target == "" {
		target = "/"
	}
	if u.RawQuery != "" {
		target += "?" + u.RawQuery
	}
	req := []string{
		"GET " + target + " HTTP/1.1",
		"Host: " + u.Host,
		"Upgrade: websocket",
		"Connection: Upgrade",
		"Sec-WebSocket-Key: " + key,
		"Sec-WebSocket-Version: 13",
	}
	if len(cl.cfg.protocols) > 0 {
		req = append(req, "Sec-WebSocket-Protocol: "+strings.Join(cl.cfg.protocols, ", "))
	}
	if cl.cfg.offer != "" {
		req = append(req, "Sec-WebSocket-Extensions: "+cl.cfg.offer)
	}
	if _, err := c.Write([]byte(strings.Join(req, "\r\n") + "\r\n\r\n")); err != nil {
		return err
	}
	br := bufio.NewReader(c)
	h, err := readHead(br, parseOpts{exactNames: cl.is(cNamesCaseSensitive), spaceOnly: cl.is(cSpaceOnly)})
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	comp, err := cl.check(h, key)
	if err != nil {
		return fmt.Errorf("client: failing the connection: %w", err)
	}
	w := &wsConn{c: c, br: br, client: true, pmd: comp}
	if err := w.echo(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("client: %w", err)
	}
	return nil
}

// check applies RFC 6455 4.1 (the items after the request is sent) and
// RFC 7692 7 to the answer; it returns the compression to use.
func (cl *client) check(h head, key string) (*pmd, error) {
	parts := strings.SplitN(h.first, " ", 3)
	if len(parts) < 2 {
		return nil, errors.New("no status line")
	}
	major, minor, ok := httpVersion(parts[0])
	if !ok || major < 1 || major == 1 && minor < 1 {
		return nil, fmt.Errorf("the answer's version is %q", parts[0])
	}
	// 1. the status: 101, or the answer is handled as HTTP
	switch code := parts[1]; {
	case code[0] == '2' && cl.is(c2xxSwitches):
		return nil, nil
	case code != "101" && cl.is(cStatusNotChecked):
		return nil, nil
	case code != "101":
		return nil, fmt.Errorf("status %s", code)
	}
	if cl.is(cReasonRequired) && (len(parts) < 3 || parts[2] != "Switching Protocols") {
		return nil, errors.New("the reason phrase")
	}
	if cl.is(cUnknownHeaderRejected) {
		known := []string{"upgrade", "connection", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions"}
		for _, f := range h.fields {
			if !slices.Contains(known, strings.ToLower(f.name)) {
				return nil, fmt.Errorf("an unknown header field %s", f.name)
			}
		}
	}
	// 2. Upgrade: websocket, in any case
	switch up := h.values("Upgrade"); {
	case len(up) == 0 && cl.is(cUpgradeMissingOK):
	case len(up) > 0 && cl.is(cUpgradeNotChecked):
	case len(up) != 1:
		return nil, errors.New("Upgrade missing or repeated")
	case cl.is(cUpgradeCaseSensitive) && up[0] != "websocket", !strings.EqualFold(up[0], "websocket"):
		return nil, fmt.Errorf("Upgrade is %q", up[0])
	}
	// 3. Connection holding the token Upgrade, in any case
	switch conn := h.values("Connection"); {
	case len(conn) == 0 && cl.is(cConnectionMissingOK):
	case len(conn) > 0 && cl.is(cConnectionNotChecked):
	case cl.is(cConnectionWhole):
		if len(conn) != 1 || !strings.EqualFold(conn[0], "Upgrade") {
			return nil, errors.New("Connection is not Upgrade")
		}
	case !h.hasToken("Connection", "Upgrade", !cl.is(cConnectionCaseSensitive)):
		return nil, errors.New("no Upgrade token in Connection")
	}
	// 4. Sec-WebSocket-Accept: the hash of the key
	switch acc := h.values("Sec-WebSocket-Accept"); {
	case len(acc) == 0 && cl.is(cAcceptMissingOK):
	case len(acc) == 1 && cl.is(cAcceptNotChecked):
	case len(acc) != 1 || acc[0] != acceptFor(key):
		return nil, errors.New("Sec-WebSocket-Accept missing or wrong")
	}
	// 6. a subprotocol, if any, is one value the client offered
	if ps := h.values("Sec-WebSocket-Protocol"); len(ps) > 0 && !cl.is(cProtocolNotChecked) {
		if len(ps) != 1 || !slices.Contains(cl.cfg.protocols, ps[0]) {
			return nil, fmt.Errorf("subprotocol %q was not offered", strings.Join(ps, ", "))
		}
	}
	// 5. every extension was offered; permessage-deflate per RFC 7692
	return cl.checkExtensions(h)
}

func (cl *client) checkExtensions(h head) (*pmd, error) {
	exts, err := parseExtensions(h.values("Sec-WebSocket-Extensions"))
	if err != nil {
		return nil, err
	}
	var accepted []extension
	for _, e := range exts {
		switch {
		case e.name != deflateName && cl.is(cUnknownExtensionIgnored):
		case e.name != deflateName || cl.cfg.offer == "":
			return nil, fmt.Errorf("extension %s was not offered", e.name)
		default:
			accepted = append(accepted, e)
		}
	}
	switch {
	case len(accepted) == 0:
		return nil, nil
	case len(accepted) > 1 && !cl.is(cDeflateTwiceAccepted):
		// RFC 7692 5: both would use RSV1.
		return nil, errors.New("permessage-deflate answered twice")
	}
	offer, _ := parseExtensions([]string{cl.cfg.offer})
	offered := map[string]param{}
	for _, p := range offer[0].params {
		offered[p.name] = p
	}
	has := func(name string) bool { _, ok := offered[name]; return ok }
	lo, hi := 8, 15
	if cl.is(cWindowRangeNotChecked) {
		lo, hi = 0, 99
	}
	comp := &pmd{sendBits: 15}
	answer := accepted[0]
	if len(answer.params) == 0 && cl.is(cBareAnswerRejected) {
		return nil, errors.New("a bare answer")
	}
	seen := map[string]bool{}
	for _, p := range answer.params {
		if seen[p.name] && !cl.is(cRepeatedParamAccepted) {
			return nil, fmt.Errorf("%s repeated", p.name)
		}
		seen[p.name] = true
		switch p.name {
		case "server_no_context_takeover":
			if p.hasValue {
				return nil, fmt.Errorf("%s has a value", p.name)
			}
			if cl.is(cServerNoContextRejected) && !has(p.name) {
				return nil, fmt.Errorf("%s was not offered", p.name)
			}
		case "client_no_context_takeover":
			// 7.1.1.2: the client then MUST NOT use context takeover.
			if p.hasValue {
				return nil, fmt.Errorf("%s has a value", p.name)
			}
			if cl.is(cClientNoContextRejected) {
				return nil, fmt.Errorf("%s", p.name)
			}
			comp.noContext = !cl.is(cContextDespiteNoContext)
		case "server_max_window_bits":
			// 7.1.2.1: 8 to 15; when offered, no more than offered.
			n, ok := windowBits(p.value, lo, hi, false)
			if !ok {
				return nil, fmt.Errorf("%s=%q", p.name, p.value)
			}
			if o, was := offered[p.name]; was {
				m, _ := windowBits(o.value, 8, 15, false)
				if n > m || n < m && cl.is(cServerWindowExact) {
					return nil, fmt.Errorf("%s=%d, offered %d", p.name, n, m)
				}
			} else if cl.is(cServerWindowRejected) {
				return nil, fmt.Errorf("%s was not offered", p.name)
			}
		case "client_max_window_bits":
			// 7.1.2.2: only when offered, with a value; the client then
			// keeps to that window.
			if !has(p.name) && !cl.is(cUnofferedWindowAccepted) {
				return nil, fmt.Errorf("%s was not offered", p.name)
			}
			if cl.is(cClientWindowRejected) {
				return nil, fmt.Errorf("%s", p.name)
			}
			if !p.hasValue {
				if !cl.is(cValuelessWindowAccepted) {
					return nil, fmt.Errorf("%s has no value", p.name)
				}
				continue
			}
			n, ok := windowBits(p.value, lo, hi, false)
			if !ok {
				return nil, fmt.Errorf("%s=%q", p.name, p.value)
			}
			if o := offered[p.name]; o.hasValue {
				if m, _ := windowBits(o.value, 8, 15, false); n > m {
					return nil, fmt.Errorf("%s=%d above the offered %d", p.name, n, m)
				}
			}
			comp.sendBits = min(n, 15)
		default:
			if !cl.is(cUnknownParamIgnored) {
				return nil, fmt.Errorf("unknown parameter %s", p.name)
			}
		}
	}
	// 7.1.1.1 and 7.1.2.1 from the other side: what the offer asked of the
	// server must be in the answer.
	if has("server_no_context_takeover") && !seen["server_no_context_takeover"] {
		return nil, errors.New("server_no_context_takeover offered and not answered")
	}
	if has("server_max_window_bits") && !seen["server_max_window_bits"] {
		return nil, errors.New("server_max_window_bits offered and not answered")
	}
	if cl.is(cNoContextRequired) && has("client_no_context_takeover") && !seen["client_no_context_takeover"] {
		return nil, errors.New("client_no_context_takeover offered and not answered")
	}
	return comp, nil
}
