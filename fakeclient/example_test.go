package fakeclient_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/fakeclient"
)

// echoHandler upgrades the request and sends every message back, with its
// type, until the connection closes.
func echoHandler(w http.ResponseWriter, r *http.Request) {
	conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return
		}
	}
}

// Run plays cases against a server, as wstest -m fuzzingclient does, and
// returns a result per case.
func ExampleRun() {
	srv := httptest.NewServer(http.HandlerFunc(echoHandler))
	defer srv.Close()
	results, err := fakeclient.Run(context.Background(), fakeclient.Config{
		URL:   "ws" + strings.TrimPrefix(srv.URL, "http"),
		Agent: "myserver",
		Cases: []string{"1.1.1", "2.1", "3.1"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		fmt.Println(r.ID, r.Behavior, r.BehaviorClose)
	}
	// Output:
	// 1.1.1 OK OK
	// 2.1 OK OK
	// 3.1 OK OK
}
