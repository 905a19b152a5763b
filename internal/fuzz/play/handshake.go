package play

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
)

// key is the Sec-WebSocket-Key the fuzzer sends (the example of RFC 6455
// 1.3).
const key = "dGhlIHNhbXBsZSBub25jZQ=="

// acceptKey is the Sec-WebSocket-Accept for key k (RFC 6455 4.2.2).
func acceptKey(k string) string {
	h := sha1.Sum([]byte(k + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// upgradeRequest is the opening handshake's request, without extensions.
func upgradeRequest(ctx context.Context) *http.Request {
	r := &http.Request{
		Method:     http.MethodGet,
		URL:        &url.URL{Path: "/"},
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Host:       "fuzzer.invalid",
		RequestURI: "/",
		RemoteAddr: "fuzzer",
		Header: http.Header{
			"Upgrade":               {"websocket"},
			"Connection":            {"Upgrade"},
			"Sec-Websocket-Key":     {key},
			"Sec-Websocket-Version": {"13"},
		},
	}
	return r.WithContext(ctx)
}

// startHandler runs h on the peer's end of a pipe as if an HTTP server had
// read the upgrade request from it. The channel gets "" when h returns and
// the panic's value and stack when it panics.
func startHandler(ctx context.Context, h http.Handler, conn *Conn) <-chan string {
	ended := make(chan string, 1)
	go func() {
		w := &hijacker{conn: conn, header: http.Header{}}
		defer func() {
			if v := recover(); v != nil {
				ended <- fmt.Sprintf("%v\n%s", v, debug.Stack())
				return
			}
			ended <- ""
		}()
		defer w.finish()
		h.ServeHTTP(w, upgradeRequest(ctx))
	}()
	return ended
}

// hijacker is the http.ResponseWriter and http.Hijacker a handler gets: it
// writes the response onto the pipe.
type hijacker struct {
	conn     *Conn
	header   http.Header
	status   int
	sent     bool
	hijacked bool
}

func (w *hijacker) Header() http.Header { return w.header }

func (w *hijacker) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *hijacker) Write(p []byte) (int, error) {
	w.flushHeader()
	return w.conn.Write(p)
}

// flushHeader writes the status line and headers once.
func (w *hijacker) flushHeader() {
	if w.sent || w.hijacked {
		return
	}
	w.sent = true
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", w.status, http.StatusText(w.status))
	w.header.Write(&b)
	b.WriteString("\r\n")
	w.conn.Write([]byte(b.String()))
}

// Hijack hands the connection over, after the header when the handler set
// a status (as net/http does for a 101 written before hijacking).
func (w *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.status != 0 {
		w.flushHeader()
	}
	w.hijacked = true
	return w.conn, bufio.NewReadWriter(bufio.NewReader(w.conn), bufio.NewWriter(w.conn)), nil
}

// finish ends a response the handler did not hijack, as an HTTP server
// would: the header if not sent, then the connection closed.
func (w *hijacker) finish() {
	if !w.hijacked {
		w.flushHeader()
		w.conn.Close()
	}
}

// readUpgrade reads the server's answer to the upgrade request and checks
// it switches protocols with the right accept key (RFC 6455 4.1).
func readUpgrade(br *bufio.Reader) error {
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return fmt.Errorf("read the opening handshake's response: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return fmt.Errorf("the opening handshake got status %d, want 101", resp.StatusCode)
	}
	if got := resp.Header.Get("Sec-Websocket-Accept"); got != acceptKey(key) {
		return fmt.Errorf("the opening handshake got Sec-WebSocket-Accept %q, want %q", got, acceptKey(key))
	}
	if ext := resp.Header.Get("Sec-Websocket-Extensions"); ext != "" {
		return fmt.Errorf("the server accepted extensions %q that the fuzzer did not offer (RFC 6455 4.1)", ext)
	}
	return nil
}

// answerUpgrade reads a client's upgrade request and accepts it without
// extensions.
func answerUpgrade(conn net.Conn, br *bufio.Reader) error {
	req, err := http.ReadRequest(br)
	if err != nil {
		return fmt.Errorf("read the opening handshake's request: %w", err)
	}
	return acceptUpgrade(conn, req)
}

// acceptUpgrade accepts a client's upgrade request without extensions.
func acceptUpgrade(conn net.Conn, req *http.Request) error {
	k := req.Header.Get("Sec-Websocket-Key")
	if k == "" {
		return fmt.Errorf("the opening handshake's request has no Sec-WebSocket-Key")
	}
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + acceptKey(k) + "\r\n\r\n"
	if _, err := conn.Write([]byte(resp)); err != nil {
		return fmt.Errorf("answer the opening handshake: %w", err)
	}
	return nil
}
