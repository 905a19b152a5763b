package handshake

import (
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/deflate"
)

func ext(s string) deflate.Extension { return deflate.ParseExtensions(s)[0] }

// Each offer breaks at most one rule of RFC 7692 7 for offers.
func TestCheckOffer(t *testing.T) {
	for offer, valid := range map[string]bool{
		"permessage-deflate":                                                         true,
		"permessage-deflate; client_max_window_bits":                                 true,
		"permessage-deflate; client_max_window_bits=8; server_max_window_bits=15":    true,
		"permessage-deflate; server_no_context_takeover; client_no_context_takeover": true,
		`permessage-deflate; server_max_window_bits="10"`:                            true,
		"permessage-deflate; server_max_window_bits":                                 false,
		"permessage-deflate; server_max_window_bits=7":                               false,
		"permessage-deflate; client_max_window_bits=16":                              false,
		"permessage-deflate; server_max_window_bits=010":                             false,
		"permessage-deflate; server_max_window_bits=+9":                              false,
		"permessage-deflate; server_no_context_takeover=1":                           false,
		"permessage-deflate; server_no_context_takeover; server_no_context_takeover": false,
		"permessage-deflate; x_unknown":                                              false,
	} {
		if err := CheckOffer(ext(offer)); (err == nil) != valid {
			t.Errorf("CheckOffer(%q) = %v, want valid %v", offer, err, valid)
		}
	}
}

// A response's parameters: values in range, no offer-only forms held
// against it where the RFC is not explicit (a bare client_max_window_bits).
func TestCheckAnswerParams(t *testing.T) {
	for answer, valid := range map[string]bool{
		"permessage-deflate; client_max_window_bits=9":  true,
		"permessage-deflate; client_max_window_bits":    true,
		"permessage-deflate; client_max_window_bits=16": false,
		"permessage-deflate; server_max_window_bits":    false,
		"permessage-deflate; x_unknown":                 false,
	} {
		if err := CheckAnswerParams(ext(answer)); (err == nil) != valid {
			t.Errorf("CheckAnswerParams(%q) = %v, want valid %v", answer, err, valid)
		}
	}
}

func TestCheckAnswer(t *testing.T) {
	for _, c := range []struct {
		answer, offers string
		ok             bool
	}{
		{"", "permessage-deflate", true},
		{"permessage-deflate", "permessage-deflate", true},
		{"permessage-deflate; client_no_context_takeover", "permessage-deflate", true},                            // 7.1.1.2: a server may add it
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate", true},                            // 7.1.1.1: may add it
		{"permessage-deflate; server_max_window_bits=9", "permessage-deflate", true},                              // 7.1.2.1: may add it
		{"permessage-deflate", "permessage-deflate; server_no_context_takeover", false},                           // 7.1.1.1: must repeat it
		{"permessage-deflate", "permessage-deflate; server_max_window_bits=10", false},                            // 7.1.2.1: must answer it
		{"permessage-deflate; server_max_window_bits=11", "permessage-deflate; server_max_window_bits=10", false}, // above the offer
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10", true},
		{"permessage-deflate; client_max_window_bits=10", "permessage-deflate", false}, // 7.1.2.2
		{"permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits", true},
		{"permessage-deflate, permessage-deflate", "permessage-deflate", false},           // 5
		{"permessage-deflate", "permessage-deflate; x_unknown", false},                    // accepts an invalid offer
		{"permessage-deflate", "permessage-deflate; x_unknown, permessage-deflate", true}, // fits the valid one
	} {
		if err := CheckAnswer(c.answer, c.offers); (err == nil) != c.ok {
			t.Errorf("CheckAnswer(%q, %q) = %v, want ok %v", c.answer, c.offers, err, c.ok)
		}
	}
}

// Each rule of a 101 answer, kept and broken.
func TestCheckSwitch(t *testing.T) {
	req := ParseHead("GET / HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: a, b\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
	good := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
	if got := CheckSwitch(req, ParseHead(good+"\r\n")); len(got) != 0 {
		t.Fatalf("a valid answer broke %v", got)
	}
	for extra, section := range map[string]string{
		"Sec-WebSocket-Protocol: c\r\n":                                              "4.2.2",
		"Sec-WebSocket-Protocol: a, b\r\n":                                           "4.2.2",
		"Sec-WebSocket-Extensions: x-other\r\n":                                      "9.1",
		"Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7\r\n": "7692 7.1.2",
	} {
		got := CheckSwitch(req, ParseHead(good+extra+"\r\n"))
		if len(got) != 1 || !strings.Contains(got[0], section) {
			t.Errorf("answer with %q: broke %v, want one rule of %s", extra, got, section)
		}
	}
	for from, to := range map[string]string{
		"Upgrade: websocket": "Upgrade: h2c", "Connection: Upgrade": "Connection: close",
		"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=": "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	} {
		if got := CheckSwitch(req, ParseHead(strings.Replace(good, from, to, 1)+"\r\n")); len(got) != 1 {
			t.Errorf("answer with %q: broke %v, want one rule", to, got)
		}
	}
}

// The answers a server may give are valid for the offer they answer.
func TestDeflateAnswersFitTheirOffer(t *testing.T) {
	for _, offer := range []string{"permessage-deflate", "permessage-deflate; client_max_window_bits",
		"permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=8"} {
		for name, answer := range DeflateAnswers(ext(offer)) {
			if name == "deflate:cmwb" && !strings.Contains(offer, "client_max_window_bits") {
				continue
			}
			if name == "deflate:window7" || name == "deflate:snct2" {
				if CheckAnswer(answer, offer) == nil {
					t.Errorf("%s to %q = %q passes; it is invalid on purpose", name, offer, answer)
				}
				continue
			}
			if err := CheckAnswer(answer, offer); err != nil {
				t.Errorf("%s to %q = %q: %v", name, offer, answer, err)
			}
		}
	}
}

func TestFill(t *testing.T) {
	got := Fill([]string{"GET {resource} HTTP/1.1", "Host: {host}"}, map[string]string{"resource": "/a?b", "host": "h:1"})
	if want := "GET /a?b HTTP/1.1\r\nHost: h:1\r\n\r\n"; got != want {
		t.Errorf("Fill = %q, want %q", got, want)
	}
}
