package cases

import (
	"strings"
	"time"
)

// head is the lines of an HTTP head, first the request or status line, then
// the header fields; the handshake case tables edit a valid head into a case.
type head []string

// validRequest is an opening handshake request as RFC 6455 4.1 builds it.
func validRequest() head {
	return head{
		"GET {resource} HTTP/1.1",
		"Host: {host}",
		"Upgrade: websocket",
		"Connection: Upgrade",
		"Sec-WebSocket-Key: {key}",
		"Sec-WebSocket-Version: 13",
	}
}

// validResponse is an opening handshake response as RFC 6455 4.2.2 builds
// it.
func validResponse() head {
	return head{
		"HTTP/1.1 101 Switching Protocols",
		"Upgrade: websocket",
		"Connection: Upgrade",
		"Sec-WebSocket-Accept: {accept}",
	}
}

// first replaces the request or status line.
func (h head) first(line string) head {
	out := append(head{line}, h[1:]...)
	return out
}

// set replaces the value of every field named name (in any case) by value,
// or adds the field when there is none.
func (h head) set(name, value string) head {
	out, found := head{}, false
	for i, l := range h {
		if i > 0 && fieldIs(l, name) {
			if !found {
				out = append(out, name+": "+value)
			}
			found = true
			continue
		}
		out = append(out, l)
	}
	if !found {
		out = append(out, name+": "+value)
	}
	return out
}

// add appends header lines as they stand.
func (h head) add(lines ...string) head {
	return append(append(head{}, h...), lines...)
}

// drop removes every field named name (in any case).
func (h head) drop(name string) head {
	out := head{}
	for i, l := range h {
		if i == 0 || !fieldIs(l, name) {
			out = append(out, l)
		}
	}
	return out
}

// names rewrites every field name with f (strings.ToLower, ToUpper).
func (h head) names(f func(string) string) head {
	out := head{h[0]}
	for _, l := range h[1:] {
		name, value, _ := strings.Cut(l, ":")
		out = append(out, f(name)+":"+value)
	}
	return out
}

func fieldIs(line, name string) bool {
	n, _, ok := strings.Cut(line, ":")
	return ok && strings.EqualFold(strings.TrimSpace(n), name)
}

// greeting is the text message every handshake case sends once the
// connection is open; the peer must echo it.
const greeting = "Hello, handshake"

// hsCase makes a handshake case: the head, then (when the connection opens)
// the greeting, its echo, and a clean close by the fuzzer, as Autobahn's
// simplest cases do.
func hsCase(id, desc, expect string, h Handshake) *Case {
	if h.Must == FailConnection && h.FailWait == 0 {
		h.FailWait = 5 * time.Second
	}
	c := &Case{
		ID: id, Description: desc, Expectation: expect,
		Steps:     steps(message(false, greeting, 0)),
		Expected:  ok(msgText(greeting)),
		Close:     fuzzerClosesClean,
		Handshake: &h,
	}
	if h.Must == FailConnection {
		c.Expected = ok()
	}
	return c
}

// deflateCase is hsCase with three messages, the same twice and then
// another, so that a compressor that keeps its context (or wrongly drops
// it) is exercised.
func deflateCase(id, desc, expect string, h Handshake) *Case {
	c := hsCase(id, desc, expect, h)
	if c.Handshake.Must == FailConnection {
		return c
	}
	const again = "Hello, Hello, handshake, once more"
	c.Steps = steps(message(false, greeting, 0), message(false, greeting, 0), message(false, again, 0))
	c.Expected = ok(msgText(greeting), msgText(greeting), msgText(again))
	return c
}
