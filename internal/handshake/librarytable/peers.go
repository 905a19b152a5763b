package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"
	"github.com/lesismal/nbio/logging"
	"github.com/lesismal/nbio/nbhttp"
	nbws "github.com/lesismal/nbio/nbhttp/websocket"
	"github.com/lxzan/gws"
	xws "golang.org/x/net/websocket"

	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/echopeer/gobwaspeer"
	"github.com/wsfuzz/autobahn/internal/echopeer/gwspeer"
)

// Library is one WebSocket library under test: an echo server and an echo
// client written the plain documented way, permessage-deflate on where the
// library has it in that role.
type Library struct {
	// Name is the column header; Module the module and version.
	Name, Module string
	// Setup says how the peers are built (compression, origin checks).
	Setup string
	// Server starts the echo server: the target the fuzzer dials and a
	// function that stops it. Nil when the library has no server role.
	Server func() (harness.Target, func(), error)
	// Client is the echo client. Nil when the library has no client role.
	Client harness.ClientFunc
}

// Libraries are the libraries of the table, in column order. The versions
// are those of go.mod.
func Libraries() []Library {
	return []Library{
		{
			Name: "gorilla", Module: "github.com/gorilla/websocket v1.5.3",
			Setup:  "Upgrader{EnableCompression: true} with CheckOrigin accepting every origin; Dialer{EnableCompression: true}; NextReader/NextWriter echo (internal/echopeer).",
			Server: handler(gorillaServer), Client: gorillaClient,
		},
		{
			Name: "coder", Module: "github.com/coder/websocket v1.8.15",
			Setup:  "AcceptOptions{CompressionMode: CompressionContextTakeover, InsecureSkipVerify: true} (no origin check); DialOptions{CompressionMode: CompressionContextTakeover}; Reader/Writer echo (internal/echopeer).",
			Server: handler(coderServer), Client: coderClient,
		},
		{
			Name: "gobwas", Module: "github.com/gobwas/ws v1.4.0",
			Setup:  "ws.UpgradeHTTP and ws.Dial with wsutil.ReadClientData/WriteServerMessage (and the client pair), internal/echopeer's: the plain documented API, no permessage-deflate (gobwas has it only as the separate low-level package wsflate, which the application wires into its own frame loop).",
			Server: handler(http.HandlerFunc(gobwaspeer.Server)), Client: gobwaspeer.Client,
		},
		{
			Name: "gws", Module: "github.com/lxzan/gws v1.8.9",
			Setup:  "NewUpgrader with ServerOption{PermessageDeflate: {Enabled: true}}; NewClient with ClientOption{PermessageDeflate: {Enabled: true}}; OnMessage echo, ReadLoop.",
			Server: handler(gwsServer), Client: gwsClient,
		},
		{
			Name: "x/net", Module: "golang.org/x/net/websocket v0.56.0",
			Setup:  "websocket.Server{Handler: ...} (websocket.Handler refuses every request without Origin, so the server is the documented Server type with no Handshake func), the handler closing its Conn when the echo ends (x/net answers a close frame only then); websocket.NewConfig(url, \"http://localhost/\") and Config.DialContext; a Codec that echoes each frame with its payload type. No permessage-deflate (x/net has none).",
			Server: handler(http.Handler(xnetServer)), Client: xnetClient,
		},
		{
			Name: "nbio", Module: "github.com/lesismal/nbio v1.6.8",
			Setup:  "nbhttp.Engine on its own listener with websocket.NewUpgrader(), EnableCompression(true), CheckOrigin accepting every origin, OnMessage echo; the client is websocket.Dialer on an nbhttp.Engine with the same Upgrader settings.",
			Server: nbioServer, Client: nbioClient,
		},
	}
}

// handler makes an http.Handler a server the harness starts per case.
func handler(h http.Handler) func() (harness.Target, func(), error) {
	return func() (harness.Target, func(), error) { return harness.Handler(h), func() {}, nil }
}

// readLimit is the read limit of every peer where the library has one.
const readLimit = echopeer.ReadLimit

// gorilla/websocket and coder/websocket: the echo peers of the oracle runs
// (internal/echopeer), with compression on.

var (
	gorillaServer = echopeer.GorillaServerWith(websocket.Upgrader{EnableCompression: true})
	gorillaClient = echopeer.GorillaClientWith(&websocket.Dialer{EnableCompression: true, HandshakeTimeout: 10 * time.Second})
	coderServer   = echopeer.CoderServerWith(coder.AcceptOptions{CompressionMode: coder.CompressionContextTakeover})
	coderClient   = echopeer.CoderClientWith(coder.DialOptions{CompressionMode: coder.CompressionContextTakeover})
)

// lxzan/gws

var (
	gwsServer = gwspeer.Server(gws.NewUpgrader(gwspeer.Echo{}, &gws.ServerOption{
		PermessageDeflate: gws.PermessageDeflate{Enabled: true}, ReadMaxPayloadSize: readLimit}))
	gwsClient = gwspeer.Client(gwspeer.Echo{}, gws.ClientOption{
		PermessageDeflate: gws.PermessageDeflate{Enabled: true}, ReadMaxPayloadSize: readLimit, HandshakeTimeout: 10 * time.Second})
)

// golang.org/x/net/websocket

// xnetFrame is a frame's payload and type; xnetEcho is a Codec that
// keeps it, so that each message is echoed with its type.
type xnetFrame struct {
	data []byte
	typ  byte
}

var xnetEcho = xws.Codec{
	Marshal: func(v any) ([]byte, byte, error) {
		f := v.(*xnetFrame)
		return f.data, f.typ, nil
	},
	Unmarshal: func(data []byte, typ byte, v any) error {
		f := v.(*xnetFrame)
		f.data, f.typ = data, typ
		return nil
	},
}

func xnetLoop(c *xws.Conn) {
	c.MaxPayloadBytes = readLimit
	for {
		var f xnetFrame
		if err := xnetEcho.Receive(c, &f); err != nil {
			return
		}
		if err := xnetEcho.Send(c, &f); err != nil {
			return
		}
	}
}

// The handler closes the connection it was handed when the echo ends: x/net
// answers a close frame only through Conn.Close (the frame reader returns
// io.EOF on it, and Server closes only TCP when the handler returns).
var xnetServer = xws.Server{Handler: func(c *xws.Conn) {
	defer c.Close()
	xnetLoop(c)
}}

func xnetClient(ctx context.Context, url string) error {
	config, err := xws.NewConfig(url, "http://localhost/")
	if err != nil {
		return err
	}
	c, err := config.DialContext(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	xnetLoop(c)
	return nil
}

// lesismal/nbio

func init() { logging.SetLevel(logging.LevelNone) }

func nbioUpgrader() *nbws.Upgrader {
	up := nbws.NewUpgrader()
	up.EnableCompression(true)
	up.CheckOrigin = func(*http.Request) bool { return true }
	up.OnMessage(func(c *nbws.Conn, mt nbws.MessageType, data []byte) {
		_ = c.WriteMessage(mt, data)
	})
	return up
}

func nbioServer() (harness.Target, func(), error) {
	up := nbioUpgrader()
	var (
		mu sync.Mutex
		ln net.Listener
	)
	engine := nbhttp.NewEngine(nbhttp.Config{
		Network: "tcp", Addrs: []string{"127.0.0.1:0"},
		Listen: func(network, addr string) (net.Listener, error) {
			l, err := net.Listen(network, addr)
			mu.Lock()
			ln = l
			mu.Unlock()
			return l, err
		},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = up.Upgrade(w, r, nil)
		}),
	})
	if err := engine.Start(); err != nil {
		return nil, nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	if ln == nil {
		engine.Stop()
		return nil, nil, errors.New("nbio: the engine opened no listener")
	}
	return harness.URL("ws://" + ln.Addr().String() + "/"), engine.Stop, nil
}

// nbioClients is the engine every nbio client runs on, started once.
var nbioClients = sync.OnceValues(func() (*nbhttp.Engine, error) {
	engine := nbhttp.NewEngine(nbhttp.Config{})
	return engine, engine.Start()
})

func nbioClient(ctx context.Context, url string) error {
	engine, err := nbioClients()
	if err != nil {
		return err
	}
	up := nbioUpgrader()
	done := make(chan struct{})
	up.OnClose(func(*nbws.Conn, error) { close(done) })
	d := &nbws.Dialer{Engine: engine, Upgrader: up, DialTimeout: 10 * time.Second}
	conn, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	select {
	case <-done:
	case <-ctx.Done():
		conn.Close()
	}
	return nil
}
