package suite

import (
	"context"
	"io"
	"net/http"

	"github.com/gorilla/websocket"
)

// gorilla/websocket echo peers with their defaults, as in example_test.go.

func gorillaClient(ctx context.Context, url string) error {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetReadLimit(64 << 20)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return nil
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return nil
		}
	}
}

var gorillaServer = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetReadLimit(64 << 20)
	for {
		mt, rd, err := conn.NextReader()
		if err != nil {
			return
		}
		wr, err := conn.NextWriter(mt)
		if err != nil {
			return
		}
		if _, err := io.Copy(wr, rd); err != nil {
			return
		}
		if err := wr.Close(); err != nil {
			return
		}
	}
})
