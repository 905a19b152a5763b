package engine

import (
	"net/url"
	"strings"
	"testing"
)

const (
	fuzzKey     = "dGhlIHNhbXBsZSBub25jZQ=="
	goodRequest = "GET /runCase?case=1&agent=a HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + fuzzKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	goodResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
)

// FuzzParseRequest: any request text is refused with an HTTP error status or
// parsed into a request that satisfies every rule of the opening handshake.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{goodRequest,
		strings.Replace(goodRequest, "GET", "POST", 1),
		strings.Replace(goodRequest, "13", "8", 1),
		strings.Replace(goodRequest, fuzzKey, "short==", 1),
		strings.Replace(goodRequest, "Host: 127.0.0.1:9001\r\n", "", 1),
		strings.Replace(goodRequest, "/runCase", "/x#frag", 1),
		"GET / HTTP/1.1\r\n\r\n", "\r\n\r\n", "GET  HTTP/1.1\r\nHost:\r\n\r\n", "G\r\nno colon\r\n\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r, code, err := parseRequest(raw)
		if err != nil {
			switch code {
			case 400, 405, 426, 505:
			default:
				t.Fatalf("refused with status %d: %v", code, err)
			}
			return
		}
		if r.Method != "GET" || r.Version != 13 || len(r.Header["host"]) != 1 {
			t.Fatalf("accepted %q: %+v", raw, r)
		}
		if !hasToken(r.Header["upgrade"], "websocket") || !hasToken(r.Header["connection"], "upgrade") {
			t.Fatalf("accepted without upgrade: %q", raw)
		}
		if k := r.Get("sec-websocket-key"); len(k) != 24 {
			t.Fatalf("accepted key %q", k)
		}
	})
}

// FuzzServerHandshake feeds arbitrary octets, whole or in pieces, to a
// fuzzing server's connection: it opens only on a valid request, answers
// 101 with the right accept key, or refuses with a single-line HTTP error;
// it never buffers more than the handshake limit.
func FuzzServerHandshake(f *testing.F) {
	f.Add([]byte(goodRequest), uint8(0))
	f.Add([]byte(goodRequest+"\x81\x85\x01\x02\x03\x04iglmn"), uint8(5))
	f.Add([]byte(strings.Replace(goodRequest, "GET", "PUT\r\nX: \r\n", 1)), uint8(0))
	f.Add([]byte(strings.Repeat("x", 70000)), uint8(0))
	f.Add([]byte("GET /%zz HTTP/1.1\r\n\r\n"), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		fd := newFeeder(true, Defaults())
		defer fd.close()
		fd.c.route = func(*Request) (Handler, error) { return fd.rec, nil }
		for len(data) > 0 && fd.c.state == StateConnecting {
			n := min(len(data), max(int(chunk), 1)*257)
			fd.feed(data[:n], 0)
			data = data[n:]
			if fd.c.state == StateConnecting && len(fd.c.rx) > maxHandshake+n {
				t.Fatalf("buffered %d octets of an incomplete handshake", len(fd.c.rx))
			}
		}
		c := fd.c
		switch {
		case c.flags.ConnectionWasOpen:
			if c.request == nil || !strings.HasPrefix(c.httpResponse, "HTTP/1.1 101 ") ||
				!strings.Contains(c.httpResponse, "Sec-WebSocket-Accept: "+AcceptKey(c.request.Get("sec-websocket-key"))+"\r\n") {
				t.Fatalf("opened with response %q", c.httpResponse)
			}
		case c.httpResponse != "":
			if !strings.HasPrefix(c.httpResponse, "HTTP/1.1 ") || strings.Index(c.httpResponse, "\r\n") != len(c.httpResponse)-4 {
				t.Fatalf("refusal is not a single status line: %q", c.httpResponse)
			}
			if c.state != StateClosed || c.flags.WasNotCleanReason == nil {
				t.Fatalf("refused but %s, reason %v", c.state, c.flags.WasNotCleanReason)
			}
		}
	})
}

// FuzzClientResponse feeds arbitrary octets, whole or in pieces, to a
// fuzzing client's connection waiting for the handshake response: it opens
// only on a 101 with the right accept key, and a refusal names its reason.
func FuzzClientResponse(f *testing.F) {
	f.Add([]byte(goodResponse), uint8(0))
	f.Add([]byte(goodResponse+"\x81\x05hello\x88\x02\x03\xe8"), uint8(9))
	f.Add([]byte(strings.Replace(goodResponse, "101", "500", 1)), uint8(0))
	f.Add([]byte(strings.Replace(goodResponse, "s3pP", "xxxx", 1)), uint8(0))
	f.Add([]byte(goodResponse[:40]), uint8(1))
	f.Add([]byte("HTTP/1.1 101\r\n\r\n"), uint8(0))
	f.Add([]byte(strings.Replace(goodResponse, "\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n", 1)), uint8(0))
	u, _ := url.Parse("ws://127.0.0.1:9001/")
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		fd := newFeeder(false, Defaults())
		defer fd.close()
		fd.c.client = &clientHandshake{u: u, key: fuzzKey}
		for len(data) > 0 && fd.c.state == StateConnecting {
			n := min(len(data), max(int(chunk), 1)*257)
			fd.feed(data[:n], 0)
			data = data[n:]
			if fd.c.state == StateConnecting && len(fd.c.rx) > maxHandshake+n {
				t.Fatalf("buffered %d octets of an incomplete handshake", len(fd.c.rx))
			}
		}
		c := fd.c
		if c.flags.ConnectionWasOpen {
			if c.response == nil || c.response.Status != 101 || c.response.Get("sec-websocket-accept") != AcceptKey(fuzzKey) {
				t.Fatalf("opened on %q", c.httpResponse)
			}
		} else if c.state == StateClosed && c.flags.WasNotCleanReason == nil {
			t.Fatalf("refused %q without a reason", c.httpResponse)
		}
	})
}
