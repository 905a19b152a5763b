package cases

import "time"

// Peer is the side a case tests.
type Peer int

// Sides under test. Autobahn's cases test both; a handshake case tests one.
const (
	BothPeers Peer = iota
	ServerPeer
	ClientPeer
)

func (p Peer) String() string {
	switch p {
	case ServerPeer:
		return "server"
	case ClientPeer:
		return "client"
	}
	return "server and client"
}

// Must is what a handshake case requires of the peer under test.
type Must int

// Requirements of handshake cases.
const (
	// Carry on: the peer accepts the handshake (a server switches
	// protocols with a valid answer, a client takes the answer) and then
	// echoes the case's messages and closes cleanly, as in Autobahn's cases.
	CarryOn Must = iota
	// Refuse (server): the server answers with any status but 101 and
	// never switches protocols.
	Refuse
	// Decline (server): the server declines the offered extension (it
	// switches protocols without it and carries on) or refuses the handshake;
	// it never accepts that offer.
	Decline
	// FailConnection (client): the client fails the connection: it sends no
	// data frame and closes TCP, with or without a close frame first.
	FailConnection
	// AcceptOrRefuse (server): the RFC lets the server refuse this request;
	// if it switches protocols, it must do so validly and carry on.
	AcceptOrRefuse
)

// Level is how strongly the RFC states the rule a handshake case checks: a
// broken MUST fails the case, a broken SHOULD makes it NON-STRICT.
type Level int

// Requirement levels.
const (
	MustLevel Level = iota
	ShouldLevel
)

// Handshake is the opening handshake of a case of our own catalog (section
// H): the request the fuzzer sends to a server under test, or the response
// it answers a client under test with, and what the peer must do with it.
//
// Request and Response are the lines of the head, without line ends, with
// these placeholders filled in when the case runs:
//
//	{resource}  the request target of the URL (path and query)
//	{host}      host:port of the URL
//	{hostname}  the host of the URL without its port
//	{key}       a fresh Sec-WebSocket-Key (16 random octets in base64)
//	{accept}    Sec-WebSocket-Accept for the client's key
//	{badaccept} Sec-WebSocket-Accept for another key
//	{deflate:minimal} the minimal valid permessage-deflate answer to the
//	            client's first permessage-deflate offer (RFC 7692 7.1): it
//	            repeats server_no_context_takeover and server_max_window_bits
//	            when offered, and nothing else
//	{deflate}   {deflate:minimal} with client_no_context_takeover when the
//	            offer had it: the answer most servers give
//	{deflate:lowwindow} {deflate} with server_max_window_bits one below the
//	            offered value (9 when the offer had none)
//	{deflate:snct} {deflate} with server_no_context_takeover
//	{deflate:cnct} {deflate} with client_no_context_takeover
//	{deflate:cmwb} {deflate} with client_max_window_bits=10 (or the offered
//	            value when it is lower)
//	{deflate:window7} {deflate} with server_max_window_bits=7 (invalid)
//	{deflate:snct2} {deflate} with server_no_context_takeover twice (invalid)
type Handshake struct {
	// Tests is the side under test: ServerPeer (the fuzzer is the client
	// and sends Request) or ClientPeer (the fuzzer is the server and
	// answers with Response).
	Tests    Peer
	Request  []string
	Response []string
	Must     Must
	Level    Level
	// Rule is the RFC section the case checks and the rule in our words.
	Rule string
	// RefusalHeader (server, Refuse) is a header field the refusal must
	// carry ("Sec-WebSocket-Version: 13"): the value must hold the token.
	RefusalHeader string
	// NeedsOffer (client) is what the client's first permessage-deflate
	// offer must hold for the case to apply: "permessage-deflate" (any
	// offer) or a parameter name. A client without it gets UNIMPLEMENTED,
	// as in Autobahn's compression cases. Empty: every client.
	NeedsOffer string
	// OfferLacks (client) is a parameter the client's permessage-deflate
	// offer must not hold for the case to apply (else UNIMPLEMENTED).
	OfferLacks string
	// FailWait (client, FailConnection) bounds the wait for the client to
	// close TCP.
	FailWait time.Duration
}

// Tests is the side the case tests: both for Autobahn's cases.
func (c *Case) Tests() Peer {
	if c.Handshake == nil {
		return BothPeers
	}
	return c.Handshake.Tests
}

// Applies reports whether the case tests a server (server true) or a client.
func (c *Case) Applies(server bool) bool {
	switch c.Tests() {
	case ServerPeer:
		return server
	case ClientPeer:
		return !server
	}
	return true
}
