package engine

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrHandshake is wrapped by errors about a failed opening handshake.
var ErrHandshake = errors.New("opening handshake failed")

// maxHandshake bounds the size of an opening handshake header.
const maxHandshake = 64 << 10

// websocketGUID is the fixed GUID of RFC 6455 section 1.3.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey computes Sec-WebSocket-Accept for a Sec-WebSocket-Key.
func AcceptKey(key string) string {
	h := sha1.Sum([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

// Request is an opening handshake request.
type Request struct {
	Method  string
	URI     string // request target as sent
	Path    string
	Query   url.Values
	Host    string
	Header  map[string][]string // keys in lower case
	Raw     string
	Version int
}

// Get returns the first value of a header (name in any case), or "".
func (r *Request) Get(name string) string {
	if v := r.Header[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Response is an opening handshake response as a client received it.
type Response struct {
	Status int
	Header map[string][]string // keys in lower case
	Raw    string
	// Following are the octets that came after the head in the same reads
	// (a body, or frames), as far as they had arrived when the head was
	// complete.
	Following []byte
}

// Get returns the first value of a header (name in any case), or "".
func (r *Response) Get(name string) string {
	if v := r.Header[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Router picks the handler of a server connection from its request. An error
// refuses the handshake with HTTP 500 and the error as reason.
type Router func(r *Request) (Handler, error)

// ServerNegotiator is implemented by handlers that negotiate extensions as a
// server: given the offered Sec-WebSocket-Extensions (possibly empty), it
// returns the header value to answer (empty for none) and the compression
// to use (nil for none).
type ServerNegotiator interface {
	NegotiateServer(offers string) (accept string, pmce Compression, err error)
}

// ClientNegotiator is implemented by handlers that offer extensions as a
// client.
type ClientNegotiator interface {
	// Offer is the Sec-WebSocket-Extensions value to send ("" for none).
	Offer() string
	// NegotiateClient checks the server's answer and returns the compression
	// to use (nil for none).
	NegotiateClient(accepted string) (Compression, error)
}

// RequestWriter is implemented by client handlers that write their own
// opening handshake request (the handshake cases of our own catalog): u is
// the URL dialled and key a fresh Sec-WebSocket-Key. The engine sends what
// it returns as it stands.
type RequestWriter interface {
	WriteRequest(u *url.URL, key string) string
}

// ResponseJudge is implemented by client handlers that judge the server's
// opening handshake response themselves, in place of the engine's checks:
// nil opens the connection (extensions are then negotiated as usual), an
// error fails it with that reason.
type ResponseJudge interface {
	JudgeResponse(resp *Response) error
}

// ResponseWriter is implemented by server handlers that write their own
// opening handshake response: given the client's request and the
// Sec-WebSocket-Accept its key calls for, it returns the raw response and
// the compression to use (nil for none). The engine sends the response as
// it stands and opens the connection, whatever its status.
type ResponseWriter interface {
	WriteResponse(req *Request, accept string) (string, Compression, error)
}

// parseHeader splits a raw HTTP header block into its first line and fields.
func parseHeader(raw string) (string, map[string][]string, error) {
	lines := strings.Split(strings.TrimSuffix(raw, "\r\n\r\n"), "\r\n")
	h := map[string][]string{}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return "", nil, fmt.Errorf("malformed header line %q", l)
		}
		k = strings.ToLower(strings.TrimSpace(k))
		h[k] = append(h[k], strings.TrimSpace(v))
	}
	return lines[0], h, nil
}

func hasToken(values []string, token string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// takeHeader removes a complete header block from the receive buffer. It
// returns "" while incomplete, and an error when the block is too large.
func (c *Conn) takeHeader() (string, error) {
	i := bytes.Index(c.rx, []byte("\r\n\r\n"))
	if i < 0 {
		if len(c.rx) > maxHandshake {
			return "", fmt.Errorf("opening handshake header larger than %d octets", maxHandshake)
		}
		return "", nil
	}
	raw := string(c.rx[:i+4])
	c.rx = c.rx[i+4:]
	return raw, nil
}

// serverHandshake processes the request of a client.
func (c *Conn) serverHandshake() {
	raw, err := c.takeHeader()
	if err != nil {
		c.failServerHandshake(400, err.Error())
		return
	}
	if raw == "" {
		return
	}
	c.httpRequest = raw
	req, code, err := parseRequest(raw)
	if err != nil {
		c.failServerHandshake(code, err.Error())
		return
	}
	c.request = req
	h, err := c.route(req)
	if err != nil {
		c.failServerHandshake(500, err.Error())
		return
	}
	c.handler = h
	if w, ok := h.(ResponseWriter); ok {
		resp, pmce, err := w.WriteResponse(req, AcceptKey(req.Get("sec-websocket-key")))
		if err != nil {
			c.failServerHandshake(500, err.Error())
			return
		}
		c.pmce = pmce
		c.httpResponse = resp
		c.sendData([]byte(resp), false, 0)
		c.open()
		return
	}
	var extra strings.Builder
	if p := req.Get("sec-websocket-protocol"); p != "" && len(c.opts.Protocols) > 0 {
		for _, offered := range strings.Split(p, ",") {
			if offered = strings.TrimSpace(offered); contains(c.opts.Protocols, offered) {
				fmt.Fprintf(&extra, "Sec-WebSocket-Protocol: %s\r\n", offered)
				break
			}
		}
	}
	if n, ok := h.(ServerNegotiator); ok {
		accept, pmce, err := n.NegotiateServer(strings.Join(req.Header["sec-websocket-extensions"], ", "))
		if err != nil {
			c.failServerHandshake(400, err.Error())
			return
		}
		if accept != "" {
			fmt.Fprintf(&extra, "Sec-WebSocket-Extensions: %s\r\n", accept)
		}
		c.pmce = pmce
	}
	resp := "HTTP/1.1 101 Switching Protocols\r\n" +
		"Server: " + ServerHeader + "\r\n" +
		"X-Powered-By: " + PoweredBy + "\r\n" +
		"Upgrade: WebSocket\r\n" +
		"Connection: Upgrade\r\n" +
		extra.String() +
		"Sec-WebSocket-Accept: " + AcceptKey(req.Get("sec-websocket-key")) + "\r\n\r\n"
	c.httpResponse = resp
	c.sendData([]byte(resp), false, 0)
	c.open()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// parseRequest parses and validates an opening handshake request. On error
// it returns the HTTP status to answer with.
func parseRequest(raw string) (*Request, int, error) {
	first, h, err := parseHeader(raw)
	if err != nil {
		return nil, 400, err
	}
	parts := strings.Split(first, " ")
	if len(parts) != 3 {
		return nil, 400, fmt.Errorf("bad HTTP request status line %q", first)
	}
	if parts[0] != "GET" {
		return nil, 405, fmt.Errorf("HTTP method %q not allowed", parts[0])
	}
	if parts[2] != "HTTP/1.1" {
		return nil, 505, fmt.Errorf("unsupported HTTP version %q", parts[2])
	}
	u, err := url.ParseRequestURI(parts[1])
	if err != nil {
		return nil, 400, fmt.Errorf("bad HTTP request resource %q: %v", parts[1], err)
	}
	if u.Fragment != "" {
		return nil, 400, fmt.Errorf("HTTP requested resource contains a fragment identifier %q", u.Fragment)
	}
	r := &Request{Method: parts[0], URI: parts[1], Path: u.Path, Query: u.Query(), Header: h, Raw: raw}
	switch {
	case len(h["host"]) == 0:
		return nil, 400, fmt.Errorf("HTTP Host header missing in opening handshake request")
	case len(h["host"]) > 1:
		return nil, 400, fmt.Errorf("HTTP Host header appears more than once in opening handshake request")
	case len(h["upgrade"]) == 0:
		return nil, 426, fmt.Errorf("HTTP Upgrade header missing")
	case !hasToken(h["upgrade"], "websocket"):
		return nil, 400, fmt.Errorf("HTTP Upgrade headers do not include 'websocket' value (case-insensitive) : %s", strings.Join(h["upgrade"], ", "))
	case len(h["connection"]) == 0:
		return nil, 400, fmt.Errorf("HTTP Connection header missing")
	case !hasToken(h["connection"], "upgrade"):
		return nil, 400, fmt.Errorf("HTTP Connection headers do not include 'upgrade' value (case-insensitive) : %s", strings.Join(h["connection"], ", "))
	case len(h["sec-websocket-version"]) != 1:
		return nil, 400, fmt.Errorf("HTTP Sec-WebSocket-Version header missing or repeated")
	}
	r.Host = h["host"][0]
	v, err := strconv.Atoi(h["sec-websocket-version"][0])
	if err != nil || v != 13 {
		return nil, 400, fmt.Errorf("WebSocket version %q not supported (supported versions: 13)", h["sec-websocket-version"][0])
	}
	r.Version = v
	keys := h["sec-websocket-key"]
	if len(keys) != 1 {
		return nil, 400, fmt.Errorf("HTTP Sec-WebSocket-Key header missing or repeated")
	}
	if k := keys[0]; len(k) != 24 || !strings.HasSuffix(k, "==") {
		return nil, 400, fmt.Errorf("bad Sec-WebSocket-Key (must be 24 base64 characters) %q", k)
	} else if _, err := base64.StdEncoding.DecodeString(k); err != nil {
		return nil, 400, fmt.Errorf("bad Sec-WebSocket-Key (invalid base64 encoding) %q", k)
	}
	return r, 0, nil
}

func (c *Conn) failServerHandshake(code int, reason string) {
	c.setNotClean(reason)
	reason = strings.NewReplacer("\r", " ", "\n", " ").Replace(reason)
	c.httpResponse = fmt.Sprintf("HTTP/1.1 %d %s\r\n\r\n", code, reason)
	c.sendData([]byte(c.httpResponse), false, 0)
	c.DropConnection(false)
}

// clientHandshake is what a client needs to send and check its handshake.
type clientHandshake struct {
	u   *url.URL
	key string
}

func newClientHandshake(u *url.URL) *clientHandshake {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return &clientHandshake{u: u, key: base64.StdEncoding.EncodeToString(b[:])}
}

func (c *Conn) startClientHandshake() {
	u := c.client.u
	resource := u.EscapedPath()
	if resource == "" {
		resource = "/"
	}
	if u.RawQuery != "" {
		resource += "?" + u.RawQuery
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\n", resource)
	fmt.Fprintf(&b, "User-Agent: %s\r\n", UserAgent)
	fmt.Fprintf(&b, "Host: %s:%s\r\n", host, port)
	b.WriteString("Upgrade: WebSocket\r\nConnection: Upgrade\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n")
	fmt.Fprintf(&b, "Sec-WebSocket-Key: %s\r\n", c.client.key)
	if c.opts.Origin != "" {
		fmt.Fprintf(&b, "Origin: %s\r\n", c.opts.Origin)
	}
	if len(c.opts.Protocols) > 0 {
		fmt.Fprintf(&b, "Sec-WebSocket-Protocol: %s\r\n", strings.Join(c.opts.Protocols, ","))
	}
	if n, ok := c.handler.(ClientNegotiator); ok {
		if offer := n.Offer(); offer != "" {
			fmt.Fprintf(&b, "Sec-WebSocket-Extensions: %s\r\n", offer)
		}
	}
	b.WriteString("Sec-WebSocket-Version: 13\r\n\r\n")
	c.httpRequest = b.String()
	if w, ok := c.handler.(RequestWriter); ok {
		c.httpRequest = w.WriteRequest(u, c.client.key)
	}
	c.request = &Request{Method: "GET", URI: resource, Path: u.Path, Query: u.Query(), Host: host + ":" + port, Raw: c.httpRequest}
	c.sendData([]byte(c.httpRequest), false, 0)
}

func (c *Conn) clientHandshakeResponse() {
	raw, err := c.takeHeader()
	if err != nil {
		c.failClientHandshake(err.Error())
		return
	}
	if raw == "" {
		return
	}
	c.httpResponse = raw
	first, h, err := parseHeader(raw)
	if err != nil {
		c.failClientHandshake(err.Error())
		return
	}
	parts := strings.SplitN(first, " ", 3)
	if len(parts) < 2 || !strings.HasPrefix(parts[0], "HTTP/") {
		c.failClientHandshake(fmt.Sprintf("bad HTTP response status line %q", first))
		return
	}
	status, err := strconv.Atoi(parts[1])
	if err != nil {
		c.failClientHandshake(fmt.Sprintf("bad HTTP response status code %q", parts[1]))
		return
	}
	c.response = &Response{Status: status, Header: h, Raw: raw, Following: append([]byte(nil), c.rx...)}
	if j, ok := c.handler.(ResponseJudge); ok {
		if err := j.JudgeResponse(c.response); err != nil {
			c.failClientHandshake(err.Error())
			return
		}
		c.negotiateClient()
		return
	}
	switch {
	case status != 101:
		c.failClientHandshake(fmt.Sprintf("WebSocket connection upgrade failed (%s)", strings.Join(parts[1:], " ")))
		return
	case !hasToken(h["upgrade"], "websocket"):
		c.failClientHandshake("HTTP Upgrade header missing or without 'websocket'")
		return
	case !hasToken(h["connection"], "upgrade"):
		c.failClientHandshake("HTTP Connection header missing or without 'upgrade'")
		return
	case c.response.Get("sec-websocket-accept") != AcceptKey(c.client.key):
		c.failClientHandshake(fmt.Sprintf("HTTP Sec-WebSocket-Accept bogus value %q", c.response.Get("sec-websocket-accept")))
		return
	}
	if p := c.response.Get("sec-websocket-protocol"); p != "" && !contains(c.opts.Protocols, p) {
		c.failClientHandshake(fmt.Sprintf("subprotocol selected by server (%s) not in subprotocol list requested by client", p))
		return
	}
	c.negotiateClient()
}

// negotiateClient takes the extensions of the server's answer and opens the
// connection.
func (c *Conn) negotiateClient() {
	ext := strings.Join(c.response.Header["sec-websocket-extensions"], ", ")
	if n, ok := c.handler.(ClientNegotiator); ok {
		pmce, err := n.NegotiateClient(ext)
		if err != nil {
			c.failClientHandshake(err.Error())
			return
		}
		c.pmce = pmce
	} else if ext != "" {
		c.failClientHandshake(fmt.Sprintf("server accepted extensions %q that were not offered", ext))
		return
	}
	c.open()
}

func (c *Conn) failClientHandshake(reason string) {
	c.setNotClean(reason)
	c.DropConnection(true)
}

// open moves to OPEN, tells the handler and processes what followed the
// handshake.
func (c *Conn) open() {
	c.state = StateOpen
	c.flags.ConnectionWasOpen = true
	c.timing.Opened = time.Now()
	if l, ok := c.handler.(Limited); ok && l.HardTimeout() > 0 {
		limit := l.HardTimeout()
		c.after(limit, func() {
			if c.state != StateClosed {
				c.setNotClean(fmt.Sprintf("harness: case still running after its limit of %v", limit))
				c.DropConnection(true)
			}
		})
	}
	c.handler.Open(c)
	if len(c.rx) > 0 && c.state != StateClosed {
		c.consume()
	}
}
