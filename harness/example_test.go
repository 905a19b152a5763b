package harness_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/harness"
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

// A test framework of your own drives the cases through a Runner: play each
// selected case, then judge its result under the run's policy (or
// baseline).
func ExampleServer() {
	r, err := harness.Server("myserver", harness.Handler(http.HandlerFunc(echoHandler)), harness.Cases("1.1.*", "2.*"))
	if err != nil {
		log.Fatal(err)
	}
	var passed int
	for _, id := range r.IDs() {
		res, _, err := r.Play(context.Background(), id, harness.Seed{})
		if err != nil {
			log.Fatal(err)
		}
		if j := r.Config().Judge(res); j.Outcome == harness.Failed {
			fmt.Printf("case %s failed: %s\n", id, j.Reason)
			continue
		}
		passed++
	}
	fmt.Printf("%d of %d cases passed\n", passed, len(r.IDs()))
	// Output: 19 of 19 cases passed
}
