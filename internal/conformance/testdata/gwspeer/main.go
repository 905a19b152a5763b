// Command gwspeer is lxzan/gws v1.7.0's echo server with permessage-deflate
// and UTF-8 checks on, in a process of its own, so that a benchmark can tell
// the fuzzer's CPU time from the peer's. It listens on a free port of
// 127.0.0.1, prints its ws:// URL on a line of its own and serves until its
// standard input closes.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/lxzan/gws"
)

type echo struct{ gws.BuiltinEventHandler }

func (echo) OnMessage(socket *gws.Conn, m *gws.Message) {
	defer m.Close()
	_ = socket.WriteMessage(m.Opcode, m.Bytes())
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gwspeer: listen:", err)
		os.Exit(1)
	}
	up := gws.NewUpgrader(echo{}, &gws.ServerOption{CompressEnabled: true, CheckUtf8Enabled: true})
	go func() {
		_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			socket, err := up.Upgrade(w, r)
			if err != nil {
				return
			}
			socket.ReadLoop()
		}))
	}()
	fmt.Printf("ws://%s/\n", ln.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin)
}
