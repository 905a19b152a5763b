package harness

import (
	"context"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/cases"
)

// The default selection is Autobahn's catalog; Extended adds our cases of
// the runner's side only, and a selection of the other side is refused.
func TestExtendedSelection(t *testing.T) {
	client := func(context.Context, string) error { return nil }
	count := func(ids []string) (autobahn, server, clients int) {
		for _, id := range ids {
			c, _ := cases.ByID(id)
			switch c.Tests() {
			case cases.BothPeers:
				autobahn++
			case cases.ServerPeer:
				server++
			case cases.ClientPeer:
				clients++
			}
		}
		return
	}
	r, err := Server("s", URL("ws://127.0.0.1:1/"))
	if err != nil {
		t.Fatal(err)
	}
	if a, s, c := count(r.IDs()); a != 517 || s+c != 0 {
		t.Errorf("default server selection: %d Autobahn, %d+%d ours; want 517 and none", a, s, c)
	}
	r, err = Server("s", URL("ws://127.0.0.1:1/"), Extended())
	if err != nil {
		t.Fatal(err)
	}
	if a, s, c := count(r.IDs()); a != 517 || s == 0 || c != 0 {
		t.Errorf("Extended server selection: %d Autobahn, %d server, %d client cases", a, s, c)
	}
	r, err = Client("c", client, Cases("H.*"))
	if err != nil {
		t.Fatal(err)
	}
	if a, s, c := count(r.IDs()); a != 0 || s != 0 || c == 0 {
		t.Errorf(`Cases("H.*") client selection: %d Autobahn, %d server, %d client cases`, a, s, c)
	}
	_, err = Client("c", client, Cases("H.1.1"))
	if err == nil || !strings.Contains(err.Error(), "test only servers") {
		t.Errorf("a client runner given a server case: err = %v", err)
	}
}
