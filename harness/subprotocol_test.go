package harness

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// protocolServer is a gorilla echo server that answers Sec-WebSocket-
// Protocol with answer whatever was offered ("" picks from supported).
func protocolServer(supported []string, answer string) http.HandlerFunc {
	up := websocket.Upgrader{Subprotocols: supported, CheckOrigin: func(*http.Request) bool { return true }}
	return func(w http.ResponseWriter, r *http.Request) {
		var h http.Header
		if answer != "" {
			h = http.Header{"Sec-Websocket-Protocol": {answer}}
		}
		c, err := up.Upgrade(w, r, h)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			mt, m, err := c.ReadMessage()
			if err != nil || c.WriteMessage(mt, m) != nil {
				return
			}
		}
	}
}

// TestSubprotocolsAsClient: the fuzzer offers the subprotocols in order; a
// server choosing one of them passes, a server answering one never offered
// fails the opening handshake with the RFC's reason.
func TestSubprotocolsAsClient(t *testing.T) {
	for _, c := range []struct {
		name     string
		offer    []string
		server   http.HandlerFunc
		behavior string
		reason   string // in wasNotCleanReason when failed
	}{
		{"server picks an offered one", []string{"chat", "superchat"}, protocolServer([]string{"superchat"}, ""), "OK", ""},
		{"server answers one not offered", []string{"chat"}, protocolServer(nil, "evil"), "FAILED", "subprotocol selected by server (evil) not in subprotocol list"},
		{"server answers though none offered", nil, protocolServer(nil, "evil"), "FAILED", "subprotocol selected by server (evil)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Server("proto", Handler(c.server), Cases("1.1.1"), Subprotocols(c.offer...))
			if err != nil {
				t.Fatal(err)
			}
			res, _, err := r.Play(context.Background(), "1.1.1", Seed{})
			if err != nil {
				t.Fatal(err)
			}
			if want := "Sec-WebSocket-Protocol: " + strings.Join(c.offer, ","); len(c.offer) > 0 && !strings.Contains(res.HTTPRequest, want) {
				t.Errorf("request lacks %q:\n%s", want, res.HTTPRequest)
			}
			if string(res.Behavior) != c.behavior {
				t.Errorf("behavior %s, want %s", res.Behavior, c.behavior)
			}
			if c.reason != "" && (res.WasNotCleanReason == nil || !strings.Contains(*res.WasNotCleanReason, c.reason)) {
				t.Errorf("wasNotCleanReason %v, want it to contain %q", res.WasNotCleanReason, c.reason)
			}
		})
	}
}

// TestSubprotocolsAsServer: the fuzzer answers the first subprotocol the
// client offers that it accepts, and none when it accepts none of them.
func TestSubprotocolsAsServer(t *testing.T) {
	for _, c := range []struct {
		accept []string
		want   string
	}{{[]string{"b", "a"}, "a"}, {[]string{"x"}, ""}, {nil, ""}} {
		var got string
		client := func(ctx context.Context, url string) error {
			d := websocket.Dialer{Subprotocols: []string{"a", "b"}}
			conn, _, err := d.DialContext(ctx, url, nil)
			if err != nil {
				return err
			}
			defer conn.Close()
			got = conn.Subprotocol()
			for {
				mt, m, err := conn.ReadMessage()
				if err != nil || conn.WriteMessage(mt, m) != nil {
					return nil
				}
			}
		}
		r, err := Client("proto", client, Cases("1.1.1"), Subprotocols(c.accept...))
		if err != nil {
			t.Fatal(err)
		}
		res, _, err := r.Play(context.Background(), "1.1.1", Seed{})
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want || res.Behavior != "OK" {
			t.Errorf("accepting %v: the client got subprotocol %q and %s, want %q and OK", c.accept, got, res.Behavior, c.want)
		}
	}
}

// TestSubprotocolNamesAreTokens: a name that is no HTTP token is refused.
func TestSubprotocolNamesAreTokens(t *testing.T) {
	for _, bad := range []string{"", "a b", "a,b", "ü"} {
		if _, err := NewConfig(Subprotocols("ok", bad)); err == nil || !strings.Contains(err.Error(), "Subprotocols") {
			t.Errorf("Subprotocols(%q): err = %v", bad, err)
		}
	}
}
