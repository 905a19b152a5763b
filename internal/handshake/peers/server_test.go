package peers

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// serverFault names one rule of RFC 6455 4.2.1/4.2.2 or RFC 7692 the
// server breaks; "" is the strict server.
type serverFault string

// The server's faults, each breaking one rule.
const (
	sNamesCaseSensitive      serverFault = "header names compared case-sensitively"
	sUpgradeCaseSensitive    serverFault = "Upgrade token compared case-sensitively"
	sConnectionWhole         serverFault = "Connection compared as a whole value, not a token list"
	sConnectionCaseSensitive serverFault = "Connection token compared case-sensitively"
	sRefuseUnknownFields     serverFault = "refuses header fields it does not know"
	sRefuseQuery             serverFault = "refuses a query in the request target"
	sBareHostBadAccept       serverFault = "answers a Host without a port with a wrong Sec-WebSocket-Accept"
	sSpaceOnly               serverFault = "trims spaces around header values but not tabs"
	sEchoProtocolField       serverFault = "answers the first Sec-WebSocket-Protocol field as it stands"
	sRefuseRepeatedFields    serverFault = "refuses any header field given twice"
	sOwnProtocol             serverFault = "answers its own first subprotocol when any is offered, offered or not"
	sRefuseUnknownExtension  serverFault = "refuses the handshake on an extension it does not know"
	sAcceptMissingKey        serverFault = "accepts a request without Sec-WebSocket-Key"
	sKeyDecodeErrorIgnored   serverFault = "ignores a Sec-WebSocket-Key that is not base64"
	sKeyShortAccepted        serverFault = "accepts a Sec-WebSocket-Key shorter than 16 octets"
	sKeyLongAccepted         serverFault = "accepts a Sec-WebSocket-Key longer than 16 octets"
	sAcceptAnyVersion        serverFault = "accepts any Sec-WebSocket-Version"
	sVersionRefusalBare      serverFault = "refuses version 12 with 400 and no Sec-WebSocket-Version"
	sAcceptMissingVersion    serverFault = "accepts a request without Sec-WebSocket-Version"
	sAcceptAnyMethod         serverFault = "accepts any method"
	sAcceptHTTP10            serverFault = "accepts HTTP/1.0"
	sAcceptMissingUpgrade    serverFault = "accepts a request without Upgrade"
	sUpgradeNotChecked       serverFault = "accepts any Upgrade value"
	sAcceptMissingConnection serverFault = "accepts a request without Connection"
	sConnectionNotChecked    serverFault = "accepts any Connection value"
	sAcceptMissingHost       serverFault = "accepts a request without Host"
	sFirstKeyTaken           serverFault = "takes the first of two Sec-WebSocket-Key fields"
	sRefuseBareOffer         serverFault = "refuses the handshake on a permessage-deflate offer without parameters"
	sEchoClientWindow        serverFault = "answers client_max_window_bits as offered, without a value if it had none"
	sRefuseClientWindowValue serverFault = "refuses the handshake on client_max_window_bits with a value"
	sOmitServerWindow        serverFault = "accepts server_max_window_bits without answering it"
	sOmitServerNoContext     serverFault = "accepts server_no_context_takeover without answering it"
	sContextDespiteNoContext serverFault = "answers server_no_context_takeover and still uses context takeover"
	sRefuseClientNoContext   serverFault = "refuses the handshake on client_no_context_takeover"
	sServerWindow8As9        serverFault = "accepts server_max_window_bits=8 with an answer of 9 (as zlib would)"
	sAnswerAllOffers         serverFault = "accepts every valid offer, answering permessage-deflate more than once"
	sAcceptWindowBelow8      serverFault = "accepts window bits below 8"
	sAcceptServerWindowAbove serverFault = "accepts server_max_window_bits above 15"
	sAcceptClientWindowAbove serverFault = "accepts client_max_window_bits above 15"
	sAcceptServerWindowNoVal serverFault = "accepts server_max_window_bits without a value as 15"
	sAcceptLeadingZero       serverFault = "accepts window bits with a leading zero"
	sAcceptValueOnFlag       serverFault = "accepts a value on server_no_context_takeover"
	sAcceptRepeatedParam     serverFault = "accepts a repeated permessage-deflate parameter"
	sIgnoreUnknownParam      serverFault = "accepts an offer with an unknown parameter, ignoring it"
)

// serverConfig is what the server speaks.
type serverConfig struct {
	// protocols are the subprotocols the server speaks; it answers the
	// first one the client offers that is among them.
	protocols []string
	// deflate: the server accepts permessage-deflate (else it declines
	// every offer).
	deflate bool
	fault   serverFault
}

// server is the reference echo server on 127.0.0.1:0.
type server struct {
	cfg   serverConfig
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	url   string
}

// startServer starts the server; the test's cleanup stops it and waits for
// every connection's goroutine.
func startServer(t testing.TB, cfg serverConfig) *server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cfg: cfg, ln: ln, conns: map[net.Conn]struct{}{}, url: "ws://" + ln.Addr().String() + "/"}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.stop)
	return s
}

func (s *server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.conns == nil {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.serve(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

func (s *server) stop() {
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.conns = nil
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *server) is(f serverFault) bool { return s.cfg.fault == f }

// refusal is an HTTP error answer.
type refusal struct {
	status string
	extra  []string
	why    string
}

func (s *server) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	h, err := readHead(br, parseOpts{exactNames: s.is(sNamesCaseSensitive), spaceOnly: s.is(sSpaceOnly)})
	if err != nil {
		s.refuse(c, &refusal{status: "400 Bad Request", why: err.Error()})
		return
	}
	key, ref := s.check(h)
	if ref == nil {
		ref = s.checkRepeatedAndUnknown(h)
	}
	var answer []string
	var comp *pmd
	if ref == nil {
		answer, comp, ref = s.negotiate(h)
	}
	if ref != nil {
		s.refuse(c, ref)
		return
	}
	accept := acceptFor(key)
	if hosts := h.values("Host"); s.is(sBareHostBadAccept) && len(hosts) == 1 && !strings.Contains(hosts[0], ":") {
		accept = acceptFor("")
	}
	lines := append([]string{
		"HTTP/1.1 101 Switching Protocols",
		"Upgrade: websocket",
		"Connection: Upgrade",
		"Sec-WebSocket-Accept: " + accept,
	}, answer...)
	if _, err := c.Write([]byte(strings.Join(lines, "\r\n") + "\r\n\r\n")); err != nil {
		return
	}
	w := &wsConn{c: c, br: br, pmd: comp}
	_ = w.echo()
}

func (s *server) refuse(c net.Conn, r *refusal) {
	lines := append([]string{"HTTP/1.1 " + r.status}, r.extra...)
	lines = append(lines, "Content-Length: 0", "Connection: close")
	_, _ = c.Write([]byte(strings.Join(lines, "\r\n") + "\r\n\r\n"))
}

// acceptFor is Sec-WebSocket-Accept for key (RFC 6455 4.2.2 item 5.4).
func acceptFor(key string) string {
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func bad(why string) *refusal { return &refusal{status: "400 Bad Request", why: why} }

// check applies RFC 6455 4.2.1 to the request; it returns the key, or why
// the request is refused.
func (s *server) check(h head) (string, *refusal) {
	// 1. an HTTP/1.1 or higher GET with a request target
	parts := strings.Split(h.first, " ")
	if len(parts) != 3 {
		return "", bad("the request line is not method SP target SP version")
	}
	method, target, version := parts[0], parts[1], parts[2]
	if method != "GET" && !s.is(sAcceptAnyMethod) {
		return "", &refusal{status: "405 Method Not Allowed", extra: []string{"Allow: GET"}, why: "not GET"}
	}
	if !strings.HasPrefix(target, "/") {
		return "", bad("the request target is not a path")
	}
	if strings.Contains(target, "?") && s.is(sRefuseQuery) {
		return "", bad("a query")
	}
	major, minor, ok := httpVersion(version)
	if !ok {
		return "", bad("not an HTTP version")
	}
	if major < 1 || major == 1 && minor < 1 && !s.is(sAcceptHTTP10) {
		return "", &refusal{status: "505 HTTP Version Not Supported", why: "HTTP/1.0"}
	}
	// 2. Host (RFC 7230 5.4: exactly one)
	switch hosts := h.values("Host"); {
	case len(hosts) == 0 && s.is(sAcceptMissingHost):
	case len(hosts) != 1 || hosts[0] == "":
		return "", bad("Host missing or repeated")
	}
	// 3. Upgrade holding websocket, in any case
	switch up := h.values("Upgrade"); {
	case len(up) == 0 && s.is(sAcceptMissingUpgrade):
	case len(up) > 0 && s.is(sUpgradeNotChecked):
	case !h.hasToken("Upgrade", "websocket", !s.is(sUpgradeCaseSensitive)):
		return "", bad("no websocket token in Upgrade")
	}
	// 4. Connection holding Upgrade, in any case
	switch conn := h.values("Connection"); {
	case len(conn) == 0 && s.is(sAcceptMissingConnection):
	case len(conn) > 0 && s.is(sConnectionNotChecked):
	case s.is(sConnectionWhole):
		if len(conn) != 1 || !strings.EqualFold(conn[0], "Upgrade") {
			return "", bad("Connection is not Upgrade")
		}
	case !h.hasToken("Connection", "Upgrade", !s.is(sConnectionCaseSensitive)):
		return "", bad("no Upgrade token in Connection")
	}
	// 5. one Sec-WebSocket-Key of 16 octets in base64
	key := ""
	switch keys := h.values("Sec-WebSocket-Key"); {
	case len(keys) == 0 && s.is(sAcceptMissingKey):
	case len(keys) == 0, len(keys) > 1 && !s.is(sFirstKeyTaken):
		return "", bad("not exactly one Sec-WebSocket-Key")
	default:
		key = keys[0]
		raw, err := base64.StdEncoding.DecodeString(key)
		switch {
		case err != nil && s.is(sKeyDecodeErrorIgnored):
		case err != nil:
			return "", bad("Sec-WebSocket-Key is not base64")
		case len(raw) < 16 && s.is(sKeyShortAccepted), len(raw) > 16 && s.is(sKeyLongAccepted):
		case len(raw) != 16:
			return "", bad("Sec-WebSocket-Key is not 16 octets")
		}
	}
	// 6. Sec-WebSocket-Version 13; else 426 naming 13 (4.2.2, 4.4)
	upgradeRequired := &refusal{status: "426 Upgrade Required", extra: []string{"Sec-WebSocket-Version: 13"}, why: "version"}
	switch v := h.values("Sec-WebSocket-Version"); {
	case len(v) == 0 && s.is(sAcceptMissingVersion):
	case len(v) == 0:
		return "", upgradeRequired
	case s.is(sAcceptAnyVersion):
	case len(v) != 1 || v[0] != "13":
		if s.is(sVersionRefusalBare) {
			return "", bad("version")
		}
		return "", upgradeRequired
	}
	return key, nil
}

// checkRepeatedAndUnknown is where two faults refuse valid requests.
func (s *server) checkRepeatedAndUnknown(h head) *refusal {
	known := []string{"host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions"}
	seen := map[string]bool{}
	for _, f := range h.fields {
		name := strings.ToLower(f.name)
		if s.is(sRefuseUnknownFields) && !slices.Contains(known, name) {
			return bad("an unknown header field " + f.name)
		}
		if s.is(sRefuseRepeatedFields) && seen[name] {
			return bad("a repeated header field " + f.name)
		}
		seen[name] = true
	}
	return nil
}

func httpVersion(v string) (major, minor int, ok bool) {
	rest, found := strings.CutPrefix(v, "HTTP/")
	if !found {
		return 0, 0, false
	}
	a, b, found := strings.Cut(rest, ".")
	if !found || len(a) != 1 || len(b) != 1 || a[0] < '0' || a[0] > '9' || b[0] < '0' || b[0] > '9' {
		return 0, 0, false
	}
	return int(a[0] - '0'), int(b[0] - '0'), true
}

// negotiate picks the subprotocol (RFC 6455 4.2.2 /subprotocol/) and the
// permessage-deflate offer (RFC 7692 5, 7), and returns the answer's extra
// header lines and the compression.
func (s *server) negotiate(h head) ([]string, *pmd, *refusal) {
	var lines []string
	if offered := h.tokens("Sec-WebSocket-Protocol"); len(offered) > 0 {
		switch {
		case s.is(sEchoProtocolField):
			lines = append(lines, "Sec-WebSocket-Protocol: "+h.values("Sec-WebSocket-Protocol")[0])
		case s.is(sOwnProtocol) && len(s.cfg.protocols) > 0:
			lines = append(lines, "Sec-WebSocket-Protocol: "+s.cfg.protocols[0])
		default:
			for _, p := range offered {
				if slices.Contains(s.cfg.protocols, p) {
					lines = append(lines, "Sec-WebSocket-Protocol: "+p)
					break
				}
			}
		}
	}
	exts, err := parseExtensions(h.values("Sec-WebSocket-Extensions"))
	if err != nil {
		// RFC 6455 9.1 grammar broken: decline every extension.
		return lines, nil, nil
	}
	var answers []string
	var comp *pmd
	for _, e := range exts {
		if e.name != deflateName {
			if s.is(sRefuseUnknownExtension) {
				return nil, nil, bad("an unknown extension " + e.name)
			}
			continue
		}
		if !s.cfg.deflate {
			continue
		}
		answer, p, ref := s.acceptOffer(e)
		if ref != nil {
			return nil, nil, ref
		}
		if p == nil {
			continue // declined
		}
		answers = append(answers, answer)
		if comp == nil {
			comp = p
		}
		if !s.is(sAnswerAllOffers) {
			break
		}
	}
	if len(answers) > 0 {
		lines = append(lines, "Sec-WebSocket-Extensions: "+strings.Join(answers, ", "))
	}
	return lines, comp, nil
}

// acceptOffer applies RFC 7692 7 to one offer: the answer and compression
// when the server accepts it, nil when it declines it (a parameter unknown,
// repeated or of invalid value), or a refusal (some faults).
func (s *server) acceptOffer(e extension) (string, *pmd, *refusal) {
	if len(e.params) == 0 && s.is(sRefuseBareOffer) {
		return "", nil, bad("a bare offer")
	}
	lo, hiServer, hiClient := 8, 15, 15
	if s.is(sAcceptWindowBelow8) {
		lo = 0
	}
	if s.is(sAcceptServerWindowAbove) {
		hiServer = 99
	}
	if s.is(sAcceptClientWindowAbove) {
		hiClient = 99
	}
	leadingZero := s.is(sAcceptLeadingZero)
	var (
		seen         = map[string]bool{}
		noContext    bool
		serverBits   int // 0: not offered
		clientWindow *param
	)
	for _, p := range e.params {
		if seen[p.name] && !s.is(sAcceptRepeatedParam) {
			return "", nil, nil
		}
		seen[p.name] = true
		switch p.name {
		case "server_no_context_takeover":
			if p.hasValue && !s.is(sAcceptValueOnFlag) {
				return "", nil, nil
			}
			noContext = true
		case "client_no_context_takeover":
			if p.hasValue {
				return "", nil, nil
			}
			if s.is(sRefuseClientNoContext) {
				return "", nil, bad("client_no_context_takeover")
			}
		case "server_max_window_bits":
			if !p.hasValue {
				if !s.is(sAcceptServerWindowNoVal) {
					return "", nil, nil
				}
				serverBits = 15
				continue
			}
			n, ok := windowBits(p.value, lo, hiServer, leadingZero)
			if !ok {
				return "", nil, nil
			}
			serverBits = n
		case "client_max_window_bits":
			if p.hasValue {
				if _, ok := windowBits(p.value, lo, hiClient, leadingZero); !ok {
					return "", nil, nil
				}
				if s.is(sRefuseClientWindowValue) {
					return "", nil, bad("client_max_window_bits with a value")
				}
			}
			clientWindow = &p
		default:
			if !s.is(sIgnoreUnknownParam) {
				return "", nil, nil
			}
		}
	}
	answer := deflateName
	comp := &pmd{sendBits: 15}
	if noContext {
		// 7.1.1.1: MUST answer server_no_context_takeover, and then MUST
		// NOT use context takeover.
		if !s.is(sOmitServerNoContext) {
			answer += "; server_no_context_takeover"
		}
		comp.noContext = !s.is(sContextDespiteNoContext)
	}
	if serverBits != 0 && !s.is(sOmitServerWindow) {
		// 7.1.2.1: answer the same value (or a smaller one) and keep to it.
		if serverBits == 8 && s.is(sServerWindow8As9) {
			serverBits = 9
		}
		answer += "; server_max_window_bits=" + strconv.Itoa(serverBits)
		comp.sendBits = min(serverBits, 15)
	}
	// 7.1.2.2: client_max_window_bits may be left out of the answer, and
	// this server leaves it out; the fault echoes it.
	if clientWindow != nil && s.is(sEchoClientWindow) {
		answer += "; client_max_window_bits"
		if clientWindow.hasValue {
			answer += "=" + clientWindow.value
		}
	}
	return answer, comp, nil
}
