package engine

import (
	"crypto/tls"
	"time"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// Version strings the real fuzzer announces; peers and report readers see
// these in the handshake headers.
const (
	ServerHeader = "AutobahnTestSuite/0.8.2-0.10.9"
	PoweredBy    = "AutobahnPython/0.10.9"
	UserAgent    = "AutobahnTestSuite/0.8.2-0.10.9"
)

// Options are the protocol options of a fuzzer connection. Zero durations and
// sizes mean "off", as in the real fuzzer; use Defaults for its settings.
type Options struct {
	// FailByDrop fails a connection by dropping TCP instead of sending a close
	// frame first. The fuzzer sets it false for conformance.
	FailByDrop bool
	// OpenHandshakeTimeout bounds the opening handshake.
	OpenHandshakeTimeout time.Duration
	// CloseHandshakeTimeout bounds the wait for the peer's close reply after
	// the fuzzer sent a close.
	CloseHandshakeTimeout time.Duration
	// ServerConnectionDropTimeout bounds, as a client, the wait for the server
	// to drop TCP after the close handshake.
	ServerConnectionDropTimeout time.Duration
	// AutoFragmentSize fragments outgoing messages larger than this.
	AutoFragmentSize int
	// MaxMessagePayloadSize fails the connection with 1009 when the peer's
	// message grows beyond it. It also bounds the harness's memory.
	MaxMessagePayloadSize int64
	// MaxFramePayloadSize fails the connection with 1008 on a larger frame.
	MaxFramePayloadSize int64
	// UTF8ValidateIncoming validates text messages from the peer.
	UTF8ValidateIncoming bool
	// EchoCloseCodeReason answers a peer's close with its own code and reason
	// instead of 1000.
	EchoCloseCodeReason bool
	// RequireMaskedClientFrames (server) refuses unmasked frames.
	RequireMaskedClientFrames bool
	// MaskClientFrames (client) masks outgoing frames.
	MaskClientFrames bool
	// AcceptMaskedServerFrames (client) accepts masked frames.
	AcceptMaskedServerFrames bool
	// ChopGap is the pause after every queued (chopped or sync) write.
	ChopGap time.Duration
	// ForceChop, when above zero, writes every frame in chops of this size,
	// whatever the case asks. ChopSeed, when not zero, picks a random chop size
	// from 1 to ForceChop for every frame instead (replayable with the seed).
	ForceChop int
	ChopSeed  int64
	// ForceSync writes every frame as a write of its own (sync), whatever
	// the case asks.
	ForceSync bool
	// HardTimeout ends a connection that is still up after this long,
	// whatever its timers: a guard against peers that never close. Zero
	// means no guard.
	HardTimeout time.Duration
	// FlushTimeout bounds the flush of pending octets when dropping TCP
	// gracefully.
	FlushTimeout time.Duration
	// Protocols (client) are offered in Sec-WebSocket-Protocol.
	Protocols []string
	// Origin (client) is sent as Origin when set.
	Origin string
	// TLS (client) is the configuration for wss:// URLs; nil verifies the
	// server against the system roots. SNI is the URL's host unless
	// TLS.ServerName is set.
	TLS *tls.Config
	// Trace, when set, is given every frame sent and received as it is
	// logged, also while the case has the wire log off (debug mode).
	Trace func(wirelog.Entry)
	// Activity, when set, is called after every read from and write to the
	// connection that moved octets, from the goroutine that did it: the
	// scheduler tells a case that works from one that waits by it.
	Activity func()
}

// DefaultMaxMessage is the default message size limit: four times the
// largest message of the catalog.
const DefaultMaxMessage = 64 << 20

// Defaults returns the options of the real fuzzer in both roles.
func Defaults() Options {
	return Options{
		OpenHandshakeTimeout:        5 * time.Second,
		CloseHandshakeTimeout:       1 * time.Second,
		ServerConnectionDropTimeout: 1 * time.Second,
		MaxMessagePayloadSize:       DefaultMaxMessage,
		UTF8ValidateIncoming:        true,
		RequireMaskedClientFrames:   true,
		MaskClientFrames:            true,
		ChopGap:                     10 * time.Microsecond,
		FlushTimeout:                2 * time.Second,
	}
}

// ScaleTimeouts returns o with its protocol timeouts (opening and closing
// handshake, server drop, hard limit, flush) multiplied by f, for slow
// machines. The case timers are not options and stay as the catalog defines
// them.
func (o Options) ScaleTimeouts(f float64) Options {
	for _, d := range []*time.Duration{&o.OpenHandshakeTimeout, &o.CloseHandshakeTimeout,
		&o.ServerConnectionDropTimeout, &o.HardTimeout, &o.FlushTimeout} {
		*d = time.Duration(float64(*d) * f)
	}
	return o
}
