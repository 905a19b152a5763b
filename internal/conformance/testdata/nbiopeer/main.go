// Command nbiopeer is lesismal/nbio v1.6.8's echo server with
// permessage-deflate on and its defaults otherwise (64 MiB read limit), in
// a process of its own, as an application on nbio would run it: a peer that
// works and waits the way nbio does (it echoes no empty message, so 9.7.1
// and 9.8.1 wait out their 60 s). It listens on a free port of 127.0.0.1,
// prints its ws:// URL on a line of its own and serves until its standard
// input closes.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/lesismal/nbio/logging"
	"github.com/lesismal/nbio/nbhttp"
	"github.com/lesismal/nbio/nbhttp/websocket"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbiopeer: listen:", err)
		os.Exit(1)
	}
	logging.SetLevel(logging.LevelNone) // stdout carries the URL only
	addr := ln.Addr().String()
	ln.Close()
	up := websocket.NewUpgrader()
	up.EnableCompression(true)
	up.OnMessage(func(c *websocket.Conn, mt websocket.MessageType, data []byte) {
		_ = c.WriteMessage(mt, data)
	})
	engine := nbhttp.NewEngine(nbhttp.Config{Network: "tcp", Addrs: []string{addr},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := up.Upgrade(w, r, nil); err != nil {
				return
			}
		})})
	if err := engine.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "nbiopeer: start:", err)
		os.Exit(1)
	}
	fmt.Printf("ws://%s/\n", addr)
	_, _ = io.Copy(io.Discard, os.Stdin)
	engine.Stop()
}
