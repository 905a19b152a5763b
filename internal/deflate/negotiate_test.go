package deflate

import (
	"reflect"
	"testing"
)

func TestParseExtensions(t *testing.T) {
	got := ParseExtensions(` Permessage-Deflate ; Client_Max_Window_Bits ; server_max_window_bits="10" ; a=b=c , , x-foo;q=1;q`)
	want := []Extension{
		{Name: "permessage-deflate", Keys: []string{"client_max_window_bits", "server_max_window_bits", "a"}, Params: map[string][]Param{
			"client_max_window_bits": {{}},
			"server_max_window_bits": {{Value: "10", HasValue: true}},
			"a":                      {{Value: "b=c", HasValue: true}},
		}},
		{Name: "x-foo", Keys: []string{"q"}, Params: map[string][]Param{"q": {{Value: "1", HasValue: true}, {}}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if len(ParseExtensions("")) != 0 {
		t.Error("an empty header gave extensions")
	}
}

// The offers of the parameter sets of 13.1-13.7 (and 12.x, as 13.1), as the
// real fuzzer sends them (its reports' httpRequest).
var caseParams = [][]Request{
	{{false, 0}},
	{{true, 0}},
	{{false, 9}},
	{{false, 15}},
	{{true, 9}},
	{{true, 15}},
	{{true, 9}, {true, 0}, {false, 0}},
}

func TestClientOffers(t *testing.T) {
	const d = "permessage-deflate; client_no_context_takeover; client_max_window_bits"
	want := []string{
		d,
		d + "; server_no_context_takeover",
		d + "; server_max_window_bits=9",
		d + "; server_max_window_bits=15",
		d + "; server_no_context_takeover; server_max_window_bits=9",
		d + "; server_no_context_takeover; server_max_window_bits=15",
		d + "; server_no_context_takeover; server_max_window_bits=9, " + d + "; server_no_context_takeover, " + d,
	}
	for i, p := range caseParams {
		if got := ClientOffers(p); got != want[i] {
			t.Errorf("13.%d: offer %q, want %q", i+1, got, want[i])
		}
	}
	if ClientOffers(nil) != "" {
		t.Error("no requests gave an offer")
	}
}

func TestParseOffer(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Offer
		err    string
	}{
		{"permessage-deflate", Offer{AcceptNoContextTakeover: true}, ""},
		{"permessage-deflate; client_max_window_bits", Offer{AcceptNoContextTakeover: true, AcceptMaxWindowBits: true}, ""},
		{"permessage-deflate; client_max_window_bits=10; server_no_context_takeover; server_max_window_bits=12",
			Offer{true, true, true, 12}, ""},
		{"permessage-deflate; client_max_window_bits=16", Offer{}, "illegal extension parameter value '16' for parameter 'client_max_window_bits' of extension 'permessage-deflate'"},
		{"permessage-deflate; client_max_window_bits=x", Offer{}, "illegal extension parameter value 'x' for parameter 'client_max_window_bits' of extension 'permessage-deflate'"},
		{"permessage-deflate; server_max_window_bits", Offer{}, "illegal extension parameter value '1' for parameter 'server_max_window_bits' of extension 'permessage-deflate'"},
		{"permessage-deflate; server_no_context_takeover=1", Offer{}, "illegal extension parameter value '1' for parameter 'server_no_context_takeover' of extension 'permessage-deflate'"},
		{"permessage-deflate; client_no_context_takeover; client_no_context_takeover", Offer{}, "multiple occurrence of extension parameter 'client_no_context_takeover' for extension 'permessage-deflate'"},
		{"permessage-deflate; mem_level=8", Offer{}, "illegal extension parameter 'mem_level' for extension 'permessage-deflate'"},
	} {
		got, err := ParseOffer(ParseExtensions(tc.header)[0])
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.header, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.header, got, err, tc.want)
		}
	}
}

// TestNegotiateServerWithCoderOffer answers coder/websocket's client offer
// with each parameter set; the answers are those in the real fuzzer's
// reports for that client (fuzzingserver-coder-deflate).
func TestNegotiateServerWithCoderOffer(t *testing.T) {
	want := []string{"permessage-deflate", "permessage-deflate; client_no_context_takeover", "", "", "", "",
		"permessage-deflate; client_no_context_takeover"}
	for i, p := range caseParams {
		answer, codec, err := NegotiateServer("permessage-deflate", p)
		if err != nil || answer != want[i] || (codec == nil) != (want[i] == "") {
			t.Errorf("13.%d: %q, codec %v, %v; want %q", i+1, answer, codec != nil, err, want[i])
		}
	}
}

// TestNegotiateServerWithOwnOffers: our server accepts our client's offers
// as the real fuzzer would, and the codec settings follow the answer.
func TestNegotiateServerWithOwnOffers(t *testing.T) {
	answer, codec, err := NegotiateServer(ClientOffers(caseParams[6]), caseParams[6])
	if err != nil {
		t.Fatal(err)
	}
	if want := "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover; client_max_window_bits=9"; answer != want {
		t.Errorf("answer %q, want %q", answer, want)
	}
	if codec.send.dir != (direction{9, true}) || codec.recv != (direction{9, true}) {
		t.Errorf("codec send %+v recv %+v", codec.send.dir, codec.recv)
	}
	client, err := NegotiateClient(answer, true)
	if err != nil {
		t.Fatal(err)
	}
	if client.send.dir != codec.recv || client.recv != codec.send.dir {
		t.Errorf("client send %+v recv %+v do not mirror the server", client.send.dir, client.recv)
	}
}

func TestNegotiateServerRefusals(t *testing.T) {
	if a, c, err := NegotiateServer("x-webkit-deflate-frame", caseParams[0]); a != "" || c != nil || err != nil {
		t.Errorf("other extension: %q %v %v", a, c, err)
	}
	if a, c, err := NegotiateServer("permessage-deflate", nil); a != "" || c != nil || err != nil {
		t.Errorf("no accept rule: %q %v %v", a, c, err)
	}
	if _, _, err := NegotiateServer("permessage-deflate; foo", nil); err == nil {
		t.Error("a bad offer was not refused in a case that accepts nothing")
	}
}

func TestNegotiateClient(t *testing.T) {
	for _, tc := range []struct {
		header  string
		offered bool
		want    *Settings
		err     string
	}{
		{"", true, nil, ""},
		{"permessage-deflate; client_no_context_takeover", true, &Settings{ClientNoContextTakeover: true, ServerMaxWindowBits: 15, ClientMaxWindowBits: 15}, ""},
		{"permessage-deflate; server_max_window_bits=12; client_max_window_bits=9", true, &Settings{ServerMaxWindowBits: 12, ClientMaxWindowBits: 9}, ""},
		{"permessage-deflate", false, nil, "WebSocket permessage-compress extension response from server denied by client"},
		{"permessage-deflate, permessage-deflate", true, nil, "multiple occurrence of a permessage-compress extension"},
		{"x-foo", true, nil, "server wants to use extension 'x-foo' we did not request, haven't implemented or did not enable"},
		{"permessage-deflate; client_max_window_bits", true, nil, "illegal extension parameter value '1' for parameter 'client_max_window_bits' of extension 'permessage-deflate'"},
	} {
		c, err := NegotiateClient(tc.header, tc.offered)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: error %v, want %q", tc.header, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.header, err)
		case tc.want == nil:
			if c != nil {
				t.Errorf("%q: a codec without negotiation", tc.header)
			}
		default:
			want, _ := NewCodec(false, *tc.want)
			if c == nil || c.send.dir != want.send.dir || c.recv != want.recv {
				t.Errorf("%q: codec %+v, want %+v", tc.header, c, want)
			}
		}
	}
}
