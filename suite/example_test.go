package suite_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/suite"
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

// A registration goes at the top level of a _test.go file, as
// var _ = suite.Server(...), beside the test function that calls RunSpecs;
// the suite then has one spec per selected case.
func ExampleServer() {
	_ = suite.Server("myserver", suite.Handler(http.HandlerFunc(echoHandler)),
		suite.Exclude("12.*", "13.*"), suite.ReportDir("reports/servers"))
}

// RunServer plays one case outside the spec tree, for a spec of your own.
func ExampleRunServer() {
	r, err := suite.RunServer(context.Background(), "myserver", suite.Handler(http.HandlerFunc(echoHandler)), "1.1.1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.ID, r.Behavior, r.BehaviorClose)
	// Output: 1.1.1 OK OK
}

// The spec text starts with the case id and ends with its section, so that
// --focus selects a case or a section.
func ExampleSpecText() {
	c, _ := cases.ByID("3.1")
	fmt.Println(suite.SpecText(c))
	// Output: 3.1 Send a small text message with RSV = 1. (3.x Reserved Bits)
}

func ExampleLabels() {
	fmt.Println(suite.Labels("server", "myserver", "9.1.1"))
	// Output: [9.x case:9.1.1 server agent:myserver slow]
}
