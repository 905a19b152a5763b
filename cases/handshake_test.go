package cases

import (
	"strings"
	"testing"
)

// Our own cases never mix into Autobahn's: "*" is the 517, "H.*" ours.
func TestExtendedApart(t *testing.T) {
	all, err := Match("*")
	if err != nil || len(all) != 517 {
		t.Fatalf(`Match("*") = %d cases, %v; want Autobahn's 517`, len(all), err)
	}
	for _, id := range all {
		if IsExtended(id) {
			t.Fatalf(`"*" selects our case %s`, id)
		}
	}
	ours, err := Match("H.*")
	if err != nil || len(ours) != len(Extended()) || len(ours) == 0 {
		t.Fatalf(`Match("H.*") = %d cases, %v; want all %d of ours`, len(ours), err, len(Extended()))
	}
	if len(All()) != 517 {
		t.Fatalf("All() = %d cases, want 517", len(All()))
	}
	if got := Index(Extended()[0].ID); got != 518 {
		t.Errorf("Index(%s) = %d, want 518: our cases follow Autobahn's", Extended()[0].ID, got)
	}
}

// Every case of ours tests one side, cites the RFC, and is played by the
// rules of its requirement.
func TestExtendedCasesWellFormed(t *testing.T) {
	for _, c := range Extended() {
		h := c.Handshake
		switch {
		case h == nil:
			t.Errorf("%s: no handshake", c.ID)
		case !strings.HasPrefix(h.Rule, "RFC "):
			t.Errorf("%s: rule %q cites no RFC section", c.ID, h.Rule)
		case h.Tests == ServerPeer && (len(h.Request) == 0 || h.Response != nil || h.Must == FailConnection):
			t.Errorf("%s: a server case sends a request and never asks a server to fail a connection", c.ID)
		case h.Tests == ClientPeer && (len(h.Response) == 0 || h.Request != nil || h.Must == Refuse || h.Must == Decline || h.Must == AcceptOrRefuse):
			t.Errorf("%s: a client case answers and asks a client to carry on or fail", c.ID)
		case h.Must == FailConnection && h.FailWait <= 0:
			t.Errorf("%s: no bound on the wait for the client to fail", c.ID)
		case c.Description == "" || c.Expectation == "":
			t.Errorf("%s: no description or expectation", c.ID)
		}
	}
}

func TestForPeer(t *testing.T) {
	ids := []string{"1.1.1", "H.1.1", "H.4.1"}
	if got := ForPeer(ids, true); strings.Join(got, " ") != "1.1.1 H.1.1" {
		t.Errorf("ForPeer(server) = %v", got)
	}
	if got := ForPeer(ids, false); strings.Join(got, " ") != "1.1.1 H.4.1" {
		t.Errorf("ForPeer(client) = %v", got)
	}
}

func TestHeadEdits(t *testing.T) {
	h := validRequest().set("upgrade", "WEBSOCKET").drop("Sec-WebSocket-Version").add("X: 1").first("POST / HTTP/1.1")
	want := "POST / HTTP/1.1|Host: {host}|upgrade: WEBSOCKET|Connection: Upgrade|Sec-WebSocket-Key: {key}|X: 1"
	if got := strings.Join(h, "|"); got != want {
		t.Errorf("edited head\n got %s\nwant %s", got, want)
	}
	if validRequest()[2] != "Upgrade: websocket" {
		t.Error("editing a head changed the valid request")
	}
}
