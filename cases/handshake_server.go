package cases

import (
	"strconv"
	"strings"
)

// Section H.1-H.3: a server under test and the requests a client may send.

// rfc4_2_1 is the server's duty toward a request that does not match the
// opening handshake RFC 6455 4.1 describes.
const rfc4_2_1 = "RFC 6455 4.2.1: a server that finds the request is not a valid opening handshake MUST stop processing it and answer with an HTTP error (such as 400), not 101"

// rfc7692decline is the server's duty toward a permessage-deflate offer it
// must not accept.
const rfc7692decline = "RFC 7692 7: a server MUST decline a permessage-deflate offer with an unknown parameter, a parameter of invalid value or a repeated parameter"

// acceptRequest is a request variant a server must accept (H.1).
type acceptRequest struct {
	what string
	req  head
	rule string
}

// refuseRequest is a request a server must refuse (H.2).
type refuseRequest struct {
	what    string
	req     head
	rule    string
	level   Level
	refusal string
}

// offer is a permessage-deflate offer (H.3): what, the header value, and
// whether the server must decline it.
type offer struct {
	what, value string
	decline     bool
	rule        string
}

func init() {
	valid := validRequest()
	rule := "RFC 6455 4.2.1: a server MUST accept an opening handshake that matches it; header names and the Upgrade and Connection tokens are case-insensitive"
	accepts := []acceptRequest{
		{"header names in lower case", valid.names(strings.ToLower), rule},
		{"header names in upper case", valid.names(strings.ToUpper), rule},
		{"Upgrade: WEBSOCKET (the token in upper case)", valid.set("Upgrade", "WEBSOCKET"), rule},
		{"Connection: keep-alive, Upgrade (a list of tokens)", valid.set("Connection", "keep-alive, Upgrade"), "RFC 6455 4.2.1: the Connection header field must include the token Upgrade, among others as HTTP allows"},
		{"Connection: upgrade (the token in lower case)", valid.set("Connection", "upgrade"), rule},
		{"extra header fields (User-Agent, Cookie, Pragma, Cache-Control, an X- field)", valid.add("User-Agent: wsfuzz/1", "Cookie: a=b", "Pragma: no-cache", "Cache-Control: no-cache", "X-Extra: yes"), "RFC 6455 4.1: the request MAY include other header fields, such as cookies (Origin is left out: 10.2 lets a server refuse by it)"},
		{"a query string in the request target", valid.first("GET {resource}?x=1&y=%20z HTTP/1.1"), "RFC 6455 3 and 4.1: the resource name is a path with an optional query"},
		{"header values with optional whitespace around them", valid.set("Upgrade", " \twebsocket\t ").set("Connection", "  Upgrade  "), "RFC 7230 3.2: optional whitespace around a field value is not part of it; RFC 6455 4.2.1"},
		{"subprotocols offered as a list", valid.add("Sec-WebSocket-Protocol: wsfuzz.chat, wsfuzz.superchat"), "RFC 6455 4.2.2: the server answers with one of the offered subprotocols or with none"},
		{"subprotocols offered in two header fields", valid.add("Sec-WebSocket-Protocol: wsfuzz.chat", "Sec-WebSocket-Protocol: wsfuzz.superchat"), "RFC 6455 4.2.2 and 11.3.4: the field may appear more than once; the answer is one offered value or none"},
		{"an extension the server cannot know", valid.add("Sec-WebSocket-Extensions: x-wsfuzz-unknown; a=1"), "RFC 6455 9.1: a server accepts only extensions it supports; it MUST NOT answer with an extension the client did not offer"},
	}
	for i, a := range accepts {
		register(hsCase(hsID(1, i), "A valid opening handshake with "+a.what+".",
			"The server switches protocols (101 with a valid answer), echoes a text message and closes cleanly when the fuzzer closes.",
			Handshake{Tests: ServerPeer, Request: a.req, Must: CarryOn, Rule: a.rule}))
	}
	register(hsCase(hsID(1, len(accepts)), "An opening handshake with Host without the port, which is not the default one.",
		"The server refuses (the Host is not its authority) or switches protocols with a valid answer, echoes a text message and closes cleanly.",
		Handshake{Tests: ServerPeer, Request: valid.set("Host", "{hostname}"), Must: AcceptOrRefuse,
			Rule: "RFC 6455 4.1 and 4.2.1 item 2: Host carries the server's authority, with the port when it is not the default; a server may refuse a Host that is not its authority, and if it switches protocols its answer must be valid"}))

	refuses := []refuseRequest{
		{what: "no Sec-WebSocket-Key", req: valid.drop("Sec-WebSocket-Key"), rule: rfc4_2_1},
		{what: "a Sec-WebSocket-Key of 24 characters that is not base64", req: valid.set("Sec-WebSocket-Key", "!not base64, not a key!="), rule: rfc4_2_1 + "; the key must decode to 16 octets"},
		{what: "a Sec-WebSocket-Key of 24 characters that decodes to 18 octets", req: valid.set("Sec-WebSocket-Key", "MTIzNDU2Nzg5MDEyMzQ1Njc4"), rule: rfc4_2_1 + "; the key must decode to 16 octets"},
		{what: "a Sec-WebSocket-Key of 32 octets", req: valid.set("Sec-WebSocket-Key", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI="), rule: rfc4_2_1 + "; the key must decode to 16 octets"},
		{what: "Sec-WebSocket-Version: 12", req: valid.set("Sec-WebSocket-Version", "12"), rule: "RFC 6455 4.2.2 and 4.4: a server that does not speak the requested version MUST answer with an HTTP error and a Sec-WebSocket-Version header field naming the versions it speaks (13)", refusal: "Sec-WebSocket-Version: 13"},
		{what: "no Sec-WebSocket-Version", req: valid.drop("Sec-WebSocket-Version"), rule: rfc4_2_1},
		{what: "the method POST", req: valid.first("POST {resource} HTTP/1.1").add("Content-Length: 0"), rule: rfc4_2_1 + "; the method must be GET"},
		{what: "HTTP/1.0", req: valid.first("GET {resource} HTTP/1.0"), rule: rfc4_2_1 + "; the request must be HTTP/1.1 or higher"},
		{what: "no Upgrade header field", req: valid.drop("Upgrade"), rule: rfc4_2_1},
		{what: "Upgrade: h2c (no websocket token)", req: valid.set("Upgrade", "h2c"), rule: rfc4_2_1},
		{what: "no Connection header field", req: valid.drop("Connection"), rule: rfc4_2_1},
		{what: "Connection: keep-alive (no Upgrade token)", req: valid.set("Connection", "keep-alive"), rule: rfc4_2_1},
		{what: "no Host header field", req: valid.drop("Host"), rule: rfc4_2_1 + "; RFC 7230 5.4: a request without Host gets 400"},
		{what: "two Sec-WebSocket-Key header fields", req: valid.add("Sec-WebSocket-Key: AAECAwQFBgcICQoLDA0ODw=="), level: ShouldLevel,
			rule: "RFC 6455 11.3.1: the Sec-WebSocket-Key header field MUST NOT appear more than once in a request; the RFC states no duty of the server here, so taking one of the keys is NON-STRICT, not FAILED"},
		{what: "a Sec-WebSocket-Key of 15 octets", req: valid.set("Sec-WebSocket-Key", "MTIzNDU2Nzg5MDEyMzQ1"), rule: rfc4_2_1 + "; the key must decode to 16 octets"},
	}
	for i, r := range refuses {
		register(hsCase(hsID(2, i), "An opening handshake request with "+r.what+".",
			"The server refuses it with an HTTP status other than 101 and never switches protocols.",
			Handshake{Tests: ServerPeer, Request: r.req, Must: Refuse, Level: r.level, Rule: r.rule, RefusalHeader: r.refusal}))
	}

	const (
		fits     = "RFC 7692 7: the server accepts the offer with an answer valid for it, or declines it; then the connection carries on"
		snct     = "RFC 7692 7.1.1.1: a server that accepts an offer with server_no_context_takeover MUST answer with server_no_context_takeover"
		smwb     = "RFC 7692 7.1.2.1: a server that accepts an offer with server_max_window_bits MUST answer with server_max_window_bits of the same or a smaller value"
		smwbOnly = "RFC 7692 7.1.2.1 and 7: a server that cannot compress with a window of 2^8 (zlib cannot) declines the offer; one that accepts answers server_max_window_bits=8"
	)
	offers := []offer{
		{"permessage-deflate", "permessage-deflate", false, fits},
		{"permessage-deflate with client_max_window_bits (no value)", "permessage-deflate; client_max_window_bits", false, "RFC 7692 7.1.2.2: the server may answer client_max_window_bits with a value from 8 to 15, or leave it out"},
		{"permessage-deflate with client_max_window_bits=10", "permessage-deflate; client_max_window_bits=10", false, fits},
		{"permessage-deflate with server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10", false, smwb},
		{"permessage-deflate with server_no_context_takeover", "permessage-deflate; server_no_context_takeover", false, snct},
		{"permessage-deflate with client_no_context_takeover", "permessage-deflate; client_no_context_takeover", false, fits},
		{"permessage-deflate with server_max_window_bits=8", "permessage-deflate; server_max_window_bits=8", false, smwbOnly},
		{"three permessage-deflate offers in order of preference", "permessage-deflate; server_max_window_bits=10; client_max_window_bits, permessage-deflate; client_max_window_bits, permessage-deflate", false, "RFC 7692 5: the server accepts one of the offers, with an answer valid for it, or none"},
		{"an unknown extension before permessage-deflate", "x-wsfuzz-unknown, permessage-deflate", false, "RFC 6455 9.1 and RFC 7692 5: the server ignores the unknown extension and may accept permessage-deflate"},
		{"server_max_window_bits=7 (out of range)", "permessage-deflate; server_max_window_bits=7", true, rfc7692decline + "; server_max_window_bits is 8 to 15 (7.1.2.1)"},
		{"server_max_window_bits=16 (out of range)", "permessage-deflate; server_max_window_bits=16", true, rfc7692decline + "; server_max_window_bits is 8 to 15 (7.1.2.1)"},
		{"client_max_window_bits=20 (out of range)", "permessage-deflate; client_max_window_bits=20", true, rfc7692decline + "; client_max_window_bits is 8 to 15 (7.1.2.2)"},
		{"server_max_window_bits without a value", "permessage-deflate; server_max_window_bits", true, rfc7692decline + "; server_max_window_bits has a value (7.1.2.1)"},
		{"server_max_window_bits=010 (a leading zero)", "permessage-deflate; server_max_window_bits=010", true, rfc7692decline + "; the value is a decimal integer without leading zeroes (7.1.2.1)"},
		{"server_no_context_takeover with a value", "permessage-deflate; server_no_context_takeover=1", true, rfc7692decline + "; server_no_context_takeover has no value (7.1.1.1)"},
		{"server_no_context_takeover twice", "permessage-deflate; server_no_context_takeover; server_no_context_takeover", true, rfc7692decline},
		{"an unknown parameter", "permessage-deflate; x_wsfuzz_unknown=1", true, rfc7692decline},
	}
	for i, o := range offers {
		must, expect := CarryOn, "The server accepts the offer with a valid answer or declines it, then echoes three text messages and closes cleanly when the fuzzer closes."
		if o.decline {
			must, expect = Decline, "The server declines the offer (it switches protocols without permessage-deflate, or refuses the handshake); if it switches protocols it echoes three text messages and closes cleanly."
		}
		register(deflateCase(hsID(3, i), "An opening handshake offering "+o.what+": Sec-WebSocket-Extensions: "+o.value+".", expect,
			Handshake{Tests: ServerPeer, Request: valid.add("Sec-WebSocket-Extensions: " + o.value), Must: must, Rule: o.rule}))
	}
}

// hsID is the id of case i (from 0) of handshake section s.
func hsID(s, i int) string {
	return ExtendedPrefix + strconv.Itoa(s) + "." + strconv.Itoa(i+1)
}
