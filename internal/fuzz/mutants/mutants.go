// Package mutants holds faulty echo peers built on gorilla/websocket, for
// the proof that fuzzing finds what the Autobahn catalog cannot: each
// mutant makes one mistake, on one condition of the frames it reads (a tap
// on its connection follows them). Most pass the whole catalog.
package mutants

import (
	"context"
	"net/http"
)

// Mutant is a faulty echo peer.
type Mutant struct {
	Name  string
	Fault string // the mistake in words, with the RFC rule it breaks
	// PassesCatalog tells whether the whole Autobahn catalog passes under
	// the default policy (the proof test checks it).
	PassesCatalog bool
	// Server is set for a server, Client for a client.
	Server http.HandlerFunc
	Client func(ctx context.Context, url string) error
}

// All returns the mutants.
func All() []Mutant {
	return []Mutant{
		{Name: "ServerRSVContinuation", PassesCatalog: true,
			Fault:  "a server that clears RSV bits on continuation frames and so accepts them (RFC 6455 5.2)",
			Server: behaviour{fault: rsvOnContinuation{}}.server()},
		{Name: "ServerPingInBinaryFragments", PassesCatalog: true,
			Fault:  "a server that panics on a ping between the fragments of a binary message",
			Server: behaviour{fault: pingInBinaryFragments{}}.server()},
		{Name: "ServerShortEcho16BitFragment", PassesCatalog: true,
			Fault:  "a server that drops the last octet of the echo of a message under 1000 octets whose first fragment needs the 16-bit length",
			Server: behaviour{fault: none{}, echo: shortEcho}.server()},
		{Name: "ServerCloseSplitHang", PassesCatalog: true,
			Fault:  "a server that hangs when a read ends one octet into a close frame's header (RFC 6455 5.5.1, 7.1.1)",
			Server: behaviour{fault: closeSplit{}}.server()},
		{Name: "ClientRSVContinuation", PassesCatalog: true,
			Fault:  "a client that clears RSV bits on continuation frames and so accepts them (RFC 6455 5.2)",
			Client: behaviour{fault: rsvOnContinuation{}}.client()},
		{Name: "ClientEmptyPingInFragments", PassesCatalog: true,
			Fault:  "a client that answers an empty ping between fragments with a pong of another payload (RFC 6455 5.5.3)",
			Client: behaviour{fault: none{}, pong: emptyPingPong}.client()},
		{Name: "ClientPingInBinaryFragments", PassesCatalog: true,
			Fault:  "a client that panics on a ping between the fragments of a binary message",
			Client: behaviour{fault: pingInBinaryFragments{}}.client()},
		{Name: "ServerLongPingShortPong", PassesCatalog: false,
			Fault:  "a server that cuts the pong of a ping over 100 octets to 100 (RFC 6455 5.5.3)",
			Server: behaviour{fault: none{}, pong: shortPong}.server()},
		{Name: "ClientNoCloseReply", PassesCatalog: false,
			Fault:  "a client that drops the connection on a close frame without answering it (RFC 6455 5.5.1)",
			Client: behaviour{fault: none{}, noCloseReply: true}.client()},
	}
}
