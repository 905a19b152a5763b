package cases

import "strings"

// Section H.4-H.6: a client under test and the answers a server may send.

// rfc4_1 is the client's duty toward an answer that is not a valid opening
// handshake response.
const rfc4_1 = "RFC 6455 4.1: a client MUST fail the WebSocket connection when the server's response is not a valid opening handshake response"

// rfc7692fail is the client's duty toward a permessage-deflate answer it
// cannot take.
const rfc7692fail = "RFC 7692 7: a client MUST fail the WebSocket connection when the permessage-deflate answer has a parameter not defined for a response, an invalid value or a repeated parameter; RFC 6455 4.1: also when it offered no permessage-deflate"

// answer is a response to a client (H.4-H.6).
type answer struct {
	what       string
	resp       head
	must       Must
	rule       string
	needsOffer string
	offerLacks string
	level      Level
}

func init() {
	valid := validResponse()
	fails := []answer{
		{what: "status 200 OK", resp: head{"HTTP/1.1 200 OK", "Content-Length: 0"}, rule: "RFC 6455 4.1: a status other than 101 is handled as HTTP; the WebSocket connection is not established"},
		{what: "status 403 Forbidden", resp: head{"HTTP/1.1 403 Forbidden", "Content-Length: 0"}, rule: "RFC 6455 4.1: a status other than 101 is handled as HTTP; the WebSocket connection is not established"},
		{what: "a wrong Sec-WebSocket-Accept", resp: valid.set("Sec-WebSocket-Accept", "{badaccept}"), rule: rfc4_1 + " (item 4: Sec-WebSocket-Accept missing or not the hash of the key)"},
		{what: "no Sec-WebSocket-Accept", resp: valid.drop("Sec-WebSocket-Accept"), rule: rfc4_1 + " (item 4)"},
		{what: "no Upgrade header field", resp: valid.drop("Upgrade"), rule: rfc4_1 + " (item 2: Upgrade missing or not websocket)"},
		{what: "Upgrade: h2c", resp: valid.set("Upgrade", "h2c"), rule: rfc4_1 + " (item 2)"},
		{what: "no Connection header field", resp: valid.drop("Connection"), rule: rfc4_1 + " (item 3: Connection missing or without the token Upgrade)"},
		{what: "Connection: keep-alive", resp: valid.set("Connection", "keep-alive"), rule: rfc4_1 + " (item 3)"},
		{what: "a subprotocol the client did not offer", resp: valid.add("Sec-WebSocket-Protocol: wsfuzz.unoffered"), rule: rfc4_1 + " (item 6: a subprotocol that was not offered)"},
		{what: "an extension the client did not offer", resp: valid.add("Sec-WebSocket-Extensions: x-wsfuzz-unknown"), rule: rfc4_1 + " (item 5: an extension that was not offered)"},
	}
	for i, a := range fails {
		a.must = FailConnection
		registerAnswer(4, i, a)
	}

	carryOn := "RFC 6455 4.1: a client MUST take a response that meets the items of 4.1; header names and the Upgrade and Connection tokens are case-insensitive"
	carries := []answer{
		{what: "header names in lower case", resp: valid.names(strings.ToLower), rule: carryOn},
		{what: "header names in upper case", resp: valid.names(strings.ToUpper), rule: carryOn},
		{what: `the reason phrase "Web Socket Protocol Handshake"`, resp: valid.first("HTTP/1.1 101 Web Socket Protocol Handshake"), rule: "RFC 6455 4.1: the client checks the status code 101, not the reason phrase, and a response that meets items 1-6 establishes the connection; RFC 7230 3.1.2: the reason phrase carries no meaning"},
		{what: "extra header fields (Server, Date, Set-Cookie, an X- field)", resp: valid.add("Server: wsfuzz", "Date: Mon, 07 Dec 2026 08:00:00 GMT", "Set-Cookie: a=b", "X-Extra: yes"), rule: "RFC 6455 4.2.2: the response may carry other header fields, such as cookies"},
		{what: "Upgrade: WEBSOCKET and Connection: upgrade", resp: valid.set("Upgrade", "WEBSOCKET").set("Connection", "upgrade"), rule: carryOn},
		{what: "Connection: keep-alive, Upgrade", resp: valid.set("Connection", "keep-alive, Upgrade"), level: ShouldLevel,
			rule: "RFC 6455 4.1 item 3 fails a response only when Connection lacks the token Upgrade, but 4.2.2 has the server send the value Upgrade alone, so a client that insists on it is NON-STRICT, not FAILED"},
		{what: "header values with optional whitespace around them", resp: valid.set("Upgrade", "  websocket ").set("Connection", " \tUpgrade"), rule: "RFC 7230 3.2: optional whitespace around a field value is not part of it; RFC 6455 4.1"},
	}
	for i, a := range carries {
		a.must = CarryOn
		registerAnswer(5, i, a)
	}

	ext := func(v string) head { return valid.add("Sec-WebSocket-Extensions: " + v) }
	deflates := []answer{
		{what: "the minimal permessage-deflate answer (no client_ parameter, even where the offer had client_no_context_takeover)", resp: ext("{deflate:minimal}"), must: CarryOn, needsOffer: "permessage-deflate",
			rule: "RFC 7692 7.1.1.2 and 7.1.2.2: a server MAY leave out client_no_context_takeover and client_max_window_bits; the client MUST take such an answer"},
		{what: "server_max_window_bits lower than offered", resp: ext("{deflate:lowwindow}"), must: CarryOn, needsOffer: "server_max_window_bits",
			rule: "RFC 7692 7.1.2.1: a server accepts an offer with server_max_window_bits by answering the same or a smaller value; the offer set the limit, so the client MUST take a smaller one"},
		{what: "server_no_context_takeover the client did not ask for", resp: ext("{deflate:snct}"), must: CarryOn, needsOffer: "permessage-deflate",
			rule: "RFC 7692 7.1.1.1: a server MAY answer with server_no_context_takeover even when the offer did not hold it"},
		{what: "client_no_context_takeover to an offer without it", resp: ext("{deflate:cnct}"), must: CarryOn, needsOffer: "permessage-deflate", offerLacks: "client_no_context_takeover", level: ShouldLevel,
			rule: "RFC 7692 7.1.1.2: a server MAY answer with client_no_context_takeover, and the client then MUST NOT use context takeover; RFC 7692 7 lets a client fail on a configuration it does not support, so failing here is NON-STRICT, not FAILED"},
		{what: "client_max_window_bits=10 to an offer with client_max_window_bits", resp: ext("{deflate:cmwb}"), must: CarryOn, needsOffer: "client_max_window_bits",
			rule: "RFC 7692 7.1.2.2: a server MAY answer client_max_window_bits to an offer that holds it; the client then compresses within that window"},
		{what: "server_max_window_bits=7 (out of range)", resp: ext("{deflate:window7}"), must: FailConnection, rule: rfc7692fail},
		{what: "an unknown permessage-deflate parameter", resp: ext("{deflate}; x_wsfuzz_unknown=1"), must: FailConnection, rule: rfc7692fail},
		{what: "server_no_context_takeover twice", resp: ext("{deflate:snct2}"), must: FailConnection, rule: rfc7692fail},
		{what: "permessage-deflate twice", resp: ext("{deflate}, {deflate}"), must: FailConnection,
			rule: "RFC 7692 5: a client MUST fail the connection when the response accepts a compression extension together with another that uses RSV1 too; RFC 6455 9.1"},
		{what: "client_max_window_bits to an offer without it", resp: ext("{deflate}; client_max_window_bits=10"), must: FailConnection, offerLacks: "client_max_window_bits", level: ShouldLevel,
			rule: "RFC 7692 7.1.2.2: a response MUST NOT hold client_max_window_bits when the offer did not (the offer is how a client says it supports it), and 7 makes a client fail on a configuration it does not support; a client that takes it may support it after all, so taking it is NON-STRICT, not FAILED"},
		{what: "client_max_window_bits without a value", resp: ext("{deflate}; client_max_window_bits"), must: FailConnection, level: ShouldLevel,
			rule: "RFC 7692 7.1.2.2 describes client_max_window_bits in a response with a value only, and 7 makes a client fail on an invalid value; the RFC does not say outright that the bare form is invalid in a response, so taking it is NON-STRICT, not FAILED"},
		{what: "server_max_window_bits=9 to an offer without it", resp: ext("{deflate}; server_max_window_bits=9"), must: CarryOn, needsOffer: "permessage-deflate", offerLacks: "server_max_window_bits", level: ShouldLevel,
			rule: "RFC 7692 7.1.2.1: a server MAY answer with server_max_window_bits even when the offer had none; RFC 7692 7 lets a client fail on a configuration it does not support, so failing here is NON-STRICT, not FAILED"},
	}
	for i, a := range deflates {
		registerAnswer(6, i, a)
	}
}

// registerAnswer adds case i of section s: a client under test gets the
// answer a.
func registerAnswer(s, i int, a answer) {
	desc := "The fuzzer answers the client's opening handshake with " + a.what + "."
	expect := "The client carries on: it echoes the text messages and closes cleanly when the fuzzer closes."
	if a.must == FailConnection {
		expect = "The client fails the connection: it sends no data frame (the fuzzer sends a text message right after the answer) and closes TCP."
	}
	h := Handshake{Tests: ClientPeer, Response: a.resp, Must: a.must, Level: a.level, Rule: a.rule, NeedsOffer: a.needsOffer, OfferLacks: a.offerLacks}
	if s == 6 {
		register(deflateCase(hsID(s, i), desc, expect, h))
		return
	}
	register(hsCase(hsID(s, i), desc, expect, h))
}
