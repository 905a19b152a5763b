package libs

import (
	"context"
	"net/http"
	"os"
	"slices"
	"testing"
	"unicode/utf8"

	coder "github.com/coder/websocket"
	"github.com/lxzan/gws"
	"github.com/wsfuzz/autobahn/autobahntest"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/echopeer/gobwaspeer"
	"github.com/wsfuzz/autobahn/internal/echopeer/gwspeer"
)

// libEnv names the peer FuzzLib fuzzes.
const libEnv = "AUTOBAHN_FUZZ_LIB"

// servers and clients are the echo peers, by name.
var (
	servers = map[string]http.HandlerFunc{
		"gorilla-server": echopeer.GorillaServerUTF8,
		"coder-server":   coderServer,
		"gws-server":     gwsServer,
		"gobwas-server":  gobwaspeer.Server,
	}
	clients = map[string]autobahntest.ClientFunc{
		"gorilla-client": echopeer.GorillaClientUTF8,
		"coder-client":   coderClient,
		"gws-client":     gwsClient,
		"gobwas-client":  gobwaspeer.Client,
	}
)

// FuzzLib fuzzes the echo peer named by $AUTOBAHN_FUZZ_LIB.
func FuzzLib(f *testing.F) {
	name := os.Getenv(libEnv)
	switch {
	case name == "":
		f.Skipf("set %s to one of %v or %v", libEnv, keys(servers), keys(clients))
	case servers[name] != nil:
		autobahntest.FuzzServer(f, name, servers[name], known[name]...)
	case clients[name] != nil:
		autobahntest.FuzzClient(f, name, clients[name], known[name]...)
	default:
		f.Fatalf("no peer %q", name)
	}
}

// The libraries' known findings, each a MUST of RFC 6455 the library
// breaks on a seed of the catalog (see doc.go): declared so that fuzzing
// goes past them.
const (
	coderCloseReason = "coder/websocket v1.8.15 echoes a close reason that is not UTF-8 (Autobahn 7.5.1; RFC 6455 5.5.1, 8.1)"
	coderMasked      = "coder/websocket v1.8.15 as a client accepts masked frames from the server and delivers their payload still masked: readLoop checks the mask bit on the server side only (RFC 6455 5.1, 7.1.7)"
	coderUnfinished  = "coder/websocket v1.8.15 msgReader.Read takes the end of the connection inside a fragmented message for the end of the message and delivers what it had (RFC 6455 6.2, 5.4)"
	gobwasCloseCode  = "gobwas/ws v1.4.0 wsutil.ControlHandler echoes close codes 5000-65535, which ws.CheckCloseFrameData lets through (Autobahn 7.13.1, 7.13.2; RFC 6455 5.5.1, 7.4.2)"
	gobwasCloseMask  = "gobwas/ws v1.4.0 wsutil.ControlHandler.closeWithProtocolError drops the frame ws.MaskFrameInPlace returns: a client answers an invalid close with an unmasked close whose body is masked (Autobahn 7.3.2, 7.5.1, 7.9.*; RFC 6455 5.1, 5.3)"
)

var known = map[string][]autobahntest.FuzzOption{
	"coder-server": {autobahntest.KnownFinding("close-body", coderCloseReason), autobahntest.KnownFinding("unfinished", coderUnfinished)},
	"coder-client": {
		autobahntest.KnownFinding("close-body", coderCloseReason),
		autobahntest.KnownFinding("unfinished", coderUnfinished),
		autobahntest.KnownFinding("no-echo-after", coderMasked),
	},
	"gobwas-server": {autobahntest.KnownFinding("close-body", gobwasCloseCode)},
	"gobwas-client": {
		autobahntest.KnownFinding("close-body", gobwasCloseCode),
		autobahntest.KnownFinding("masking", gobwasCloseMask),
		autobahntest.KnownFinding("close-body", gobwasCloseMask),
	},
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// coderEcho echoes until the connection ends; a text message that is not
// UTF-8 fails it with 1007.
func coderEcho(ctx context.Context, conn *coder.Conn) {
	conn.SetReadLimit(echopeer.ReadLimit)
	for {
		mt, msg, err := conn.Read(ctx)
		if err != nil {
			return
		}
		if mt == coder.MessageText && !utf8.Valid(msg) {
			conn.Close(coder.StatusInvalidFramePayloadData, "")
			return
		}
		if err := conn.Write(ctx, mt, msg); err != nil {
			return
		}
	}
}

func coderServer(w http.ResponseWriter, r *http.Request) {
	conn, err := coder.Accept(w, r, &coder.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	defer conn.CloseNow()
	coderEcho(r.Context(), conn)
}

func coderClient(ctx context.Context, url string) error {
	conn, _, err := coder.Dial(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.CloseNow()
	coderEcho(ctx, conn)
	return nil
}

// gws's echo peers with its UTF-8 check; pongs carry the ping's payload
// (gws's BuiltinEventHandler answers with an empty one).
var (
	gwsServer = gwspeer.Server(gws.NewUpgrader(gwspeer.PongEcho{}, &gws.ServerOption{CheckUtf8Enabled: true, ReadMaxPayloadSize: echopeer.ReadLimit}))
	gwsClient = gwspeer.Client(gwspeer.PongEcho{}, gws.ClientOption{CheckUtf8Enabled: true, ReadMaxPayloadSize: echopeer.ReadLimit})
)
