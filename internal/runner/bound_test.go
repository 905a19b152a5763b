package runner

import (
	"testing"

	"github.com/wsfuzz/autobahn/cases"
)

// A peer that floods messages and pongs grows the recorded events only up
// to a bound past the longest expected list; the verdict cannot change past
// it, as no outcome matches any more.
func TestReceivedEventsAreBounded(t *testing.T) {
	c, ok := cases.ByID("1.1.1") // expects one empty text message
	if !ok {
		t.Fatal("no case 1.1.1")
	}
	r := New(c)
	for i := 0; i < 10000; i++ {
		r.Message(nil, []byte("flood"), false) // never matches: the conn is not used
		r.Pong(nil, []byte("flood"))
	}
	if got, want := len(r.Received()), 1+maxUnexpected; got != want {
		t.Fatalf("recorded %d events, want %d", got, want)
	}
	if first := r.Received()[0]; first.Kind != cases.Message || string(first.Payload) != "flood" {
		t.Fatalf("first event %+v", first)
	}
}
