package fakeserver_test

import (
	"context"
	"fmt"
	"log"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/fakeserver"
)

// echoClient dials url and sends every message back, with its type, until
// the connection closes or ctx is done.
func echoClient(ctx context.Context, url string) error {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
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

// A client given as a Go function plays a case without a driver; an
// existing Autobahn driver would dial s.URL() instead.
func ExampleServer_RunCase() {
	s, err := fakeserver.New(fakeserver.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for _, id := range []string{"1.1.1", "2.1", "3.1"} {
		r, err := s.RunCase(context.Background(), "myclient", id, echoClient)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.ID, r.Behavior, r.BehaviorClose)
	}
	// Output:
	// 1.1.1 OK OK
	// 2.1 OK OK
	// 3.1 OK OK
}

// A driver runs the cases through the server's URLs; Wait returns a case's
// result once the server has judged it.
func ExampleServer_Wait() {
	s, err := fakeserver.New(fakeserver.Config{Cases: []string{"1.1.*"}})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	// what a driver does for the first case: /runCase?case=1&agent=mydriver
	driver := make(chan error, 1)
	go func() { driver <- echoClient(context.Background(), s.URL()+"/runCase?case=1&agent=mydriver") }()
	r, err := s.Wait(context.Background(), "mydriver", s.CaseIDs()[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.ID, r.Behavior, r.BehaviorClose)
	if err := <-driver; err != nil {
		log.Fatal(err)
	}
	// Output:
	// 1.1.1 OK OK
}
