package conformance

import (
	"context"
	"net"
	"sync"
	"testing"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"
	"github.com/lxzan/gws"

	"github.com/wsfuzz/autobahn/internal/deflate"
	"github.com/wsfuzz/autobahn/internal/deflatetest"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/echopeer/gwspeer"
	"github.com/wsfuzz/autobahn/internal/engine"
)

// Echo peers with permessage-deflate on: coder/websocket in context takeover
// mode (as in the oracle's deflate runs), lxzan/gws with context takeover in
// both directions, gorilla/websocket's server, and hand-made peers that
// break the extension.

var (
	coderDeflateServer = echopeer.CoderServerWith(coder.AcceptOptions{CompressionMode: coder.CompressionContextTakeover})
	coderDeflateClient = echopeer.CoderClientWith(coder.DialOptions{CompressionMode: coder.CompressionContextTakeover})
)

// gorillaDeflateServer is gorilla's server with compression: it answers any
// permessage-deflate offer with no context takeover both ways. (Its client
// is left out: it refuses any answer without both no-context-takeover
// parameters, so most cases fail at its end, not ours.)
var gorillaDeflateServer = echopeer.GorillaServerWith(websocket.Upgrader{EnableCompression: true})

// gwsDeflate is gws's compression with context takeover both ways; its
// server then asks for 2^12 windows in both directions.
var gwsDeflate = gws.PermessageDeflate{Enabled: true, ServerContextTakeover: true, ClientContextTakeover: true}

var (
	gwsUpgrader      = gws.NewUpgrader(gwspeer.Echo{}, &gws.ServerOption{PermessageDeflate: gwsDeflate, ReadMaxPayloadSize: readLimit})
	gwsDeflateServer = gwspeer.Server(gwsUpgrader)
	gwsDeflateClient = gwspeer.Client(gwspeer.Echo{}, gws.ClientOption{PermessageDeflate: gwsDeflate, ReadMaxPayloadSize: readLimit})
)

// badCodec decompresses correctly but compresses as a broken peer: with
// farReach it refers further back than the negotiated 2^9 window as soon as
// its history allows; otherwise it sends octets that are not DEFLATE.
type badCodec struct {
	*deflate.Codec
	farReach bool
	history  []byte
}

const badWindow = 1 << 9

func (b *badCodec) CompressMessage(p []byte) ([]byte, error) {
	if !b.farReach {
		return []byte{0xff, 0xff, 0xff, 0xff}, nil
	}
	toks := deflatetest.Literals(p)
	if i, dist, ok := reachBack(b.history, p, badWindow); ok {
		toks = append(append(deflatetest.Literals(p[:i]), deflatetest.Token{Length: 3, Distance: dist}), deflatetest.Literals(p[i+3:])...)
	}
	b.history = append(b.history, p...)
	return deflatetest.Message(toks)
}

// reachBack finds three octets of p that also occur in history before its
// last window octets, and returns where they are in p and how far back.
func reachBack(history, p []byte, window int) (int, int, bool) {
	old := len(history) - window
	if old < 3 {
		return 0, 0, false
	}
	first := map[[3]byte]int{}
	for j := 0; j+3 <= old; j++ {
		k := [3]byte(history[j : j+3])
		if _, seen := first[k]; !seen {
			first[k] = j
		}
	}
	for i := 0; i+3 <= len(p); i++ {
		if j, ok := first[[3]byte(p[i:i+3])]; ok {
			return i, len(history) - j + i, true
		}
	}
	return 0, 0, false
}

// badPeer is an echo peer on our own engine whose permessage-deflate is a
// badCodec. As a server it answers any offer with a 2^9 server window; as a
// client it offers a client window and takes the answer.
type badPeer struct {
	farReach bool
}

func (badPeer) Open(*engine.Conn)         {}
func (badPeer) Pong(*engine.Conn, []byte) {}
func (badPeer) Message(c *engine.Conn, p []byte, binary bool) {
	_ = c.SendMessage(p, binary, 0, false)
}

func (b badPeer) NegotiateServer(string) (string, engine.Compression, error) {
	codec, err := deflate.NewCodec(true, deflate.Settings{ServerMaxWindowBits: 9})
	if err != nil {
		return "", nil, err
	}
	return "permessage-deflate; server_max_window_bits=9", &badCodec{Codec: codec, farReach: b.farReach}, nil
}

func (badPeer) Offer() string { return "permessage-deflate; client_max_window_bits" }

func (b badPeer) NegotiateClient(answer string) (engine.Compression, error) {
	codec, err := deflate.NegotiateClient(answer, true)
	if err != nil || codec == nil {
		return nil, err
	}
	return &badCodec{Codec: codec, farReach: b.farReach}, nil
}

// serveBadPeer runs a badPeer server until the test ends and returns its URL.
func serveBadPeer(t *testing.T, farReach bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				engine.RunServer(ctx, nc, engine.Defaults(), func(*engine.Request) (engine.Handler, error) {
					return badPeer{farReach: farReach}, nil
				})
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		cancel()
		wg.Wait()
	})
	return "ws://" + ln.Addr().String() + "/"
}

// badClient is a badPeer client for the fake server.
func badClient(farReach bool) func(context.Context, string) error {
	return func(ctx context.Context, url string) error {
		_, err := engine.RunClient(ctx, url, engine.Defaults(), badPeer{farReach: farReach})
		return err
	}
}
