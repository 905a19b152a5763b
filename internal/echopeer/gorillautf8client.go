package echopeer

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// GorillaClientUTF8 is gorilla's echo client with the UTF-8 check gorilla
// leaves to the application, as GorillaServerUTF8 has it: a text message
// that is not valid UTF-8 fails the connection with close code 1007.
func GorillaClientUTF8(ctx context.Context, url string) error {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetReadLimit(ReadLimit)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return nil
		}
		if mt == websocket.TextMessage && !utf8.Valid(msg) {
			closing := websocket.FormatCloseMessage(websocket.CloseInvalidFramePayloadData, "")
			conn.WriteControl(websocket.CloseMessage, closing, time.Now().Add(time.Second))
			return nil
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return nil
		}
	}
}
