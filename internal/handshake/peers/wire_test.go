// Package peers holds two small reference peers, a WebSocket echo server
// and an echo client over raw TCP, written from RFC 6455 (4.1, 4.2.1,
// 4.2.2, 4.4, 5, 9.1) and RFC 7692 (5, 6, 7), not from the fuzzer's code,
// and the tests that play every case of our own catalog (section H) against
// them: the strict peers pass every case, and each named fault, which breaks
// exactly one rule, fails the cases the case definitions say it must.
//
// The package is test code only.
package peers

import (
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ---- HTTP heads (RFC 7230 3, as RFC 6455 4 uses them) ----

// field is one header field as it came.
type field struct{ name, value string }

// head is an HTTP head: its first line and its fields in order.
type head struct {
	first  string
	fields []field
	// exactNames: field names are compared as they stand (a fault; RFC
	// 7230 3.2 makes them case-insensitive).
	exactNames bool
	// ows is what is trimmed around values and list elements: " \t" (RFC
	// 7230 3.2.3 OWS), or " " for a fault.
	ows string
}

// parseOpts are how a peer reads a head; the zero value is the RFC's way.
type parseOpts struct {
	exactNames bool // compare field names case-sensitively
	spaceOnly  bool // trim spaces around values but not tabs
}

const maxHead = 16 << 10

// readHead reads an HTTP head up to its empty line. A field line that is
// not "token: value" is an error (RFC 7230 3.2, 3.2.4: no whitespace
// before the colon, no obsolete line folding).
func readHead(br *bufio.Reader, o parseOpts) (head, error) {
	var h head
	h.exactNames, h.ows = o.exactNames, " \t"
	if o.spaceOnly {
		h.ows = " "
	}
	n := 0
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return h, fmt.Errorf("reading the head: %w", err)
		}
		if n += len(line); n > maxHead {
			return h, errors.New("the head is too large")
		}
		if !strings.HasSuffix(line, "\r\n") {
			return h, errors.New("a line of the head does not end in CRLF")
		}
		line = strings.TrimSuffix(line, "\r\n")
		if h.first == "" {
			if line == "" {
				return h, errors.New("an empty first line")
			}
			h.first = line
			continue
		}
		if line == "" {
			return h, nil
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return h, fmt.Errorf("the header line %q is not name: value", line)
		}
		h.fields = append(h.fields, field{name, strings.Trim(value, h.ows)})
	}
}

func (h head) is(f field, name string) bool {
	if h.exactNames {
		return f.name == name
	}
	return strings.EqualFold(f.name, name)
}

// values are the values of every field named name, in order.
func (h head) values(name string) []string {
	var out []string
	for _, f := range h.fields {
		if h.is(f, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// tokens are the elements of the comma-separated lists of every field
// named name (RFC 7230 7: empty elements are skipped).
func (h head) tokens(name string) []string {
	var out []string
	for _, v := range h.values(name) {
		for _, t := range strings.Split(v, ",") {
			if t = strings.Trim(t, h.ows); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// hasToken reports whether a list field holds token, compared as fold says.
func (h head) hasToken(name, token string, fold bool) bool {
	for _, t := range h.tokens(name) {
		if t == token || fold && strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}

// isToken: RFC 7230 3.2.6 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// ---- Sec-WebSocket-Extensions (RFC 6455 9.1) ----

type param struct {
	name, value string
	hasValue    bool
}

type extension struct {
	name   string
	params []param
}

// parseExtensions reads an extension list as RFC 6455 9.1 writes it:
// extension *("," extension), extension = token *(";" name ["=" value]),
// the value a token or a quoted string whose content is a token.
func parseExtensions(values []string) ([]extension, error) {
	var out []extension
	for _, v := range values {
		elems, err := splitOutsideQuotes(v, ',')
		if err != nil {
			return nil, err
		}
		for _, e := range elems {
			e = strings.Trim(e, " \t")
			if e == "" {
				continue
			}
			parts, err := splitOutsideQuotes(e, ';')
			if err != nil {
				return nil, err
			}
			x := extension{name: strings.Trim(parts[0], " \t")}
			if !isToken(x.name) {
				return nil, fmt.Errorf("extension name %q is not a token", x.name)
			}
			for _, p := range parts[1:] {
				k, val, has := strings.Cut(p, "=")
				k, val = strings.Trim(k, " \t"), strings.Trim(val, " \t")
				if !isToken(k) {
					return nil, fmt.Errorf("extension parameter %q is not a token", k)
				}
				if has {
					if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
						val = strings.ReplaceAll(val[1:len(val)-1], `\`, "")
					}
					if !isToken(val) {
						return nil, fmt.Errorf("extension parameter %s=%q: the value is not a token", k, val)
					}
				}
				x.params = append(x.params, param{k, val, has})
			}
			out = append(out, x)
		}
	}
	return out, nil
}

func splitOutsideQuotes(s string, sep byte) ([]string, error) {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if quoted {
		return nil, fmt.Errorf("an unterminated quoted string in %q", s)
	}
	return append(out, s[start:]), nil
}

// windowBits reads a window size of RFC 7692 7.1.2.1/7.1.2.2: a decimal
// integer from lo to hi without leading zeroes (the RFC's range is 8 to 15;
// faults widen it).
func windowBits(v string, lo, hi int, leadingZero bool) (int, bool) {
	if v == "" || len(v) > 3 {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
	}
	if v[0] == '0' && !leadingZero {
		return 0, false
	}
	n, _ := strconv.Atoi(v)
	return n, n >= lo && n <= hi
}

const deflateName = "permessage-deflate"

// ---- frames (RFC 6455 5) ----

const (
	opCont   = 0
	opText   = 1
	opBinary = 2
	opClose  = 8
	opPing   = 9
	opPong   = 10
)

type frame struct {
	fin, rsv1, rsv23 bool
	op               byte
	payload          []byte
}

const maxMessage = 16 << 20

// errProtocol is a frame the RFC makes the endpoint fail the connection on
// (close code 1002); errPayload a text message that is not UTF-8 (1007).
var (
	errProtocol = errors.New("protocol error")
	errPayload  = errors.New("invalid UTF-8 in a text message")
)

// readFrame reads a frame; wantMask is whether it must be masked (frames
// from a client, RFC 6455 5.1).
func readFrame(br *bufio.Reader, wantMask bool) (frame, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return frame{}, err
	}
	f := frame{fin: hdr[0]&0x80 != 0, rsv1: hdr[0]&0x40 != 0, rsv23: hdr[0]&0x30 != 0, op: hdr[0] & 0x0f}
	masked := hdr[1]&0x80 != 0
	n := uint64(hdr[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return f, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return f, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	if masked != wantMask || n > maxMessage {
		return f, fmt.Errorf("%w: masked %v, length %d", errProtocol, masked, n)
	}
	var key [4]byte
	if masked {
		if _, err := io.ReadFull(br, key[:]); err != nil {
			return f, err
		}
	}
	f.payload = make([]byte, n)
	if _, err := io.ReadFull(br, f.payload); err != nil {
		return f, err
	}
	if masked {
		for i := range f.payload {
			f.payload[i] ^= key[i%4]
		}
	}
	return f, nil
}

// writeFrame writes one frame, masked with a fresh key when mask is set
// (frames of a client, RFC 6455 5.3).
func writeFrame(w io.Writer, fin, rsv1 bool, op byte, payload []byte, mask bool) error {
	b := make([]byte, 0, 14+len(payload))
	b0 := op
	if fin {
		b0 |= 0x80
	}
	if rsv1 {
		b0 |= 0x40
	}
	b = append(b, b0)
	var m byte
	if mask {
		m = 0x80
	}
	switch n := len(payload); {
	case n < 126:
		b = append(b, m|byte(n))
	case n < 1<<16:
		b = append(b, m|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, m|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	if !mask {
		_, err := w.Write(append(b, payload...))
		return err
	}
	var key [4]byte
	_, _ = rand.Read(key[:])
	b = append(b, key[:]...)
	for i, c := range payload {
		b = append(b, c^key[i%4])
	}
	_, err := w.Write(b)
	return err
}

// ---- permessage-deflate (RFC 7692 6, 7.2) ----

// pmd is the compression of a connection that negotiated
// permessage-deflate.
//
// Sending: each message is compressed with compress/flate and a sync flush
// whose final 00 00 ff ff is removed (7.2.1). With context takeover the
// compressor gets the last messages sent as a preset dictionary, cut so
// that no back reference reaches further than the negotiated window (the
// dictionary and the message together fit in 2^bits octets); without it
// (noContext, as server_no_context_takeover or client_no_context_takeover
// asks of this side) each message starts afresh. A message longer than the
// window is sent uncompressed (RSV1 clear), which RFC 7692 6 allows, so the
// window is never exceeded.
//
// Receiving: the peer may use context takeover unless it agreed not to, so
// the last 32 KiB received are always kept as the dictionary; a peer that
// resets simply never refers to it.
type pmd struct {
	sendBits  int
	noContext bool
	sent      []byte
	received  []byte
}

const maxWindow = 1 << 15

func tail(b []byte, n int) []byte {
	if n <= 0 {
		return nil
	}
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// compress returns msg compressed, or ok false to send it as it stands.
func (p *pmd) compress(msg []byte) ([]byte, bool) {
	window := 1 << p.sendBits
	if len(msg) > window {
		return nil, false
	}
	var dict []byte
	if !p.noContext {
		dict = tail(p.sent, window-len(msg))
	}
	var buf bytes.Buffer
	w, err := flate.NewWriterDict(&buf, flate.DefaultCompression, dict)
	if err != nil {
		return nil, false
	}
	_, _ = w.Write(msg)
	if err := w.Flush(); err != nil {
		return nil, false
	}
	out := buf.Bytes()
	if !bytes.HasSuffix(out, []byte{0, 0, 0xff, 0xff}) {
		return nil, false
	}
	if !p.noContext {
		p.sent = append([]byte(nil), tail(append(p.sent, msg...), maxWindow)...)
	}
	return out[:len(out)-4], true
}

// decompress inflates a received message (7.2.2: append 00 00 ff ff; an
// empty final stored block then ends the stream for the reader).
func (p *pmd) decompress(data []byte) ([]byte, error) {
	in := append(append(append([]byte(nil), data...), 0, 0, 0xff, 0xff), 1, 0, 0, 0xff, 0xff)
	r := flate.NewReaderDict(bytes.NewReader(in), p.received)
	defer r.Close()
	msg, err := io.ReadAll(io.LimitReader(r, maxMessage+1))
	if err != nil {
		return nil, fmt.Errorf("%w: inflate: %v", errProtocol, err)
	}
	if len(msg) > maxMessage {
		return nil, fmt.Errorf("%w: message too large", errProtocol)
	}
	p.received = append([]byte(nil), tail(append(p.received, msg...), maxWindow)...)
	return msg, nil
}

// ---- the echo loop (RFC 6455 5, 7) ----

// wsConn is an open WebSocket connection of either side.
type wsConn struct {
	c      net.Conn
	br     *bufio.Reader
	client bool
	pmd    *pmd // nil: no permessage-deflate
}

// echo sends back every message until the close handshake or an error.
func (w *wsConn) echo() error {
	var (
		inMsg      bool
		op         byte
		compressed bool
		buf        []byte
	)
	for {
		f, err := readFrame(w.br, !w.client)
		if err != nil {
			return w.fail(err)
		}
		if f.op >= 8 {
			if !f.fin || len(f.payload) > 125 || f.rsv1 || f.rsv23 {
				return w.fail(fmt.Errorf("%w: control frame fin=%v len=%d rsv", errProtocol, f.fin, len(f.payload)))
			}
			switch f.op {
			case opPing:
				if err := writeFrame(w.c, true, false, opPong, f.payload, w.client); err != nil {
					return err
				}
			case opPong:
			case opClose:
				return w.closeBack(f.payload)
			default:
				return w.fail(fmt.Errorf("%w: reserved opcode %d", errProtocol, f.op))
			}
			continue
		}
		switch {
		case f.rsv23, f.rsv1 && (w.pmd == nil || f.op == opCont):
			return w.fail(fmt.Errorf("%w: reserved bits set", errProtocol))
		case f.op == opCont && !inMsg, (f.op == opText || f.op == opBinary) && inMsg:
			return w.fail(fmt.Errorf("%w: opcode %d out of sequence", errProtocol, f.op))
		case f.op != opCont && f.op != opText && f.op != opBinary:
			return w.fail(fmt.Errorf("%w: reserved opcode %d", errProtocol, f.op))
		}
		if f.op != opCont {
			inMsg, op, compressed, buf = true, f.op, f.rsv1, nil
		}
		if len(buf)+len(f.payload) > maxMessage {
			return w.fail(fmt.Errorf("%w: message too large", errProtocol))
		}
		buf = append(buf, f.payload...)
		if !f.fin {
			continue
		}
		inMsg = false
		msg := buf
		if compressed {
			if msg, err = w.pmd.decompress(buf); err != nil {
				return w.fail(err)
			}
		}
		if op == opText && !utf8.Valid(msg) {
			return w.fail(errPayload)
		}
		out, rsv1 := msg, false
		if w.pmd != nil {
			if z, ok := w.pmd.compress(msg); ok {
				out, rsv1 = z, true
			}
		}
		if err := writeFrame(w.c, true, rsv1, op, out, w.client); err != nil {
			return err
		}
	}
}

// fail fails the connection (RFC 6455 7.1.7): a close frame with the code
// the error calls for, when the error is one the peer should hear of, then
// TCP closes.
func (w *wsConn) fail(err error) error {
	code := uint16(0)
	switch {
	case errors.Is(err, errProtocol):
		code = 1002
	case errors.Is(err, errPayload):
		code = 1007
	}
	if code != 0 {
		_ = writeFrame(w.c, true, false, opClose, binary.BigEndian.AppendUint16(nil, code), w.client)
	}
	_ = w.c.Close()
	if errors.Is(err, io.EOF) && code == 0 {
		return fmt.Errorf("the peer closed TCP without a close frame")
	}
	return err
}

// closeBack answers the peer's close frame with one of its own carrying the
// same code (RFC 6455 5.5.1), then the server closes TCP at once and the
// client waits a little for the server to do so (7.1.1).
func (w *wsConn) closeBack(payload []byte) error {
	if len(payload) == 1 {
		return w.fail(fmt.Errorf("%w: a close payload of one octet", errProtocol))
	}
	if len(payload) >= 2 && !utf8.Valid(payload[2:]) {
		return w.fail(errPayload)
	}
	var answer []byte
	if len(payload) >= 2 {
		answer = payload[:2]
	}
	if err := writeFrame(w.c, true, false, opClose, answer, w.client); err != nil {
		return err
	}
	if w.client {
		_ = w.c.SetReadDeadline(time.Now().Add(2 * time.Second))
		_, _ = io.Copy(io.Discard, w.br)
	}
	return w.c.Close()
}
