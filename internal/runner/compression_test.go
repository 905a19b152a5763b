package runner

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/corpus"
	"github.com/wsfuzz/autobahn/internal/engine"
)

// TestCutWalksAroundByCharacters: messages follow one another through the
// data and wrap at its end; text is cut in whole characters.
func TestCutWalksAroundByCharacters(t *testing.T) {
	data := corpus.HTML
	n := data.Len()
	all := data.Data()
	ptr := n - 1000
	wrap := make([]byte, 0, 16)
	msg, next, buf := cut(data, ptr, 4096, wrap)
	if next != 3096 {
		t.Errorf("pointer after the wrap: %d, want 3096", next)
	}
	if utf8.RuneCount(msg) != 4096 || !utf8.Valid(msg) {
		t.Errorf("wrapped message has %d characters, want 4096", utf8.RuneCount(msg))
	}
	if !bytes.Equal(msg, append(append([]byte(nil), data.Slice(ptr, n)...), data.Slice(0, 3096)...)) {
		t.Error("wrapped message is not the end of the data followed by its start")
	}
	if again, _, _ := cut(data, ptr, 4096, buf); &again[0] != &buf[0] || !bytes.Equal(again, msg) {
		t.Error("a wrapped message is not cut into the wrap buffer it is given")
	}
	var total []byte
	ptr = 0
	for len(total) < len(all) {
		m, p, _ := cut(data, ptr, 65536, nil)
		total, ptr = append(total, m...), p
	}
	if !bytes.HasPrefix(total, all) {
		t.Error("consecutive messages do not spell out the data")
	}
	if bin, _, _ := cut(corpus.Image, 10, 16, nil); !bytes.Equal(bin, corpus.Image.Data()[10:26]) {
		t.Error("binary data is not cut in octets")
	}
}

// TestEchoMismatchTexts: the checks come in the real fuzzer's order (type,
// length in characters for text or octets for binary, SHA-1) with its words.
// The digests are those of Python's hashlib for the same octets.
func TestEchoMismatchTexts(t *testing.T) {
	text := &cases.Compression{Length: 3}
	bin := &cases.Compression{Length: 3, Binary: true}
	for _, tc := range []struct {
		x             *cases.Compression
		sent, payload string
		binary        bool
		want          string
	}{
		{text, "aäb", "aäb", false, ""},
		{text, "aäb", "aäb", true, "Echo'ed message type differs from what I sent (got binary True, expected binary False)."},
		{bin, "abc", "abc", false, "Echo'ed message type differs from what I sent (got binary False, expected binary True)."},
		{text, "aäb", "aäbc", false, "Echo'ed message length differs from what I sent (got length 4, expected length 3)."},
		{bin, "abc", "aäb", true, "Echo'ed message length differs from what I sent (got length 4, expected length 3)."},
		{text, "aäb", "abc", false, "Echo'ed message contents differs from what I sent (got SHA1 a9993e364706816aba3e25717850c26c9cd0d89d, " +
			"expected SHA1 d04c3a708478b68d9fe8e60a90ac7ec17c08dfb7)."},
	} {
		if got := echoMismatch(tc.x, []byte(tc.sent), []byte(tc.payload), tc.binary); got != tc.want {
			t.Errorf("%q for %q binary=%v: %q, want %q", tc.payload, tc.sent, tc.binary, got, tc.want)
		}
	}
}

// TestTrafficStatsRatios: the ratios are those of the real fuzzer's
// TrafficStats: WebSocket per application octets, and header per WebSocket
// octets; null when the denominator is zero.
func TestTrafficStatsRatios(t *testing.T) {
	ts := trafficStats(engine.Traffic{OutgoingOctetsWireLevel: 120, OutgoingOctetsWebSocketLevel: 100, OutgoingOctetsAppLevel: 400,
		IncomingOctetsWireLevel: 55, IncomingOctetsWebSocketLevel: 50, IncomingOctetsAppLevel: 200, OutgoingWebSocketFrames: 3,
		OutgoingWebSocketMessages: 2, IncomingWebSocketFrames: 5, IncomingWebSocketMessages: 2, PreopenOutgoingOctetsWire: 7,
		PreopenIncomingOctetsWire: 9})
	for name, got := range map[string]struct {
		p    *float64
		want float64
	}{
		"outgoing compression": {ts.OutgoingCompressionRatio, 0.25}, "incoming compression": {ts.IncomingCompressionRatio, 0.25},
		"outgoing overhead": {ts.OutgoingWebSocketOverhead, 0.2}, "incoming overhead": {ts.IncomingWebSocketOverhead, 0.1},
	} {
		if got.p == nil || *got.p != got.want {
			t.Errorf("%s ratio %v, want %v", name, got.p, got.want)
		}
	}
	if ts.PreopenOutgoingOctetsWireLevel != 7 || ts.PreopenIncomingOctetsWireLevel != 9 || ts.IncomingWebSocketFrames != 5 {
		t.Errorf("counters not carried over: %+v", ts)
	}
	empty := trafficStats(engine.Traffic{})
	if empty.OutgoingCompressionRatio != nil || empty.IncomingWebSocketOverhead != nil {
		t.Error("ratios of nothing are not null")
	}
}

// TestNegotiationOnlyInCompressionCases: other cases offer nothing and
// accept nothing, but still refuse a malformed offer, as the real fuzzer.
func TestNegotiationOnlyInCompressionCases(t *testing.T) {
	plain := New(&cases.Case{ID: "1.1.1"})
	if plain.Offer() != "" {
		t.Errorf("a plain case offers %q", plain.Offer())
	}
	if a, pmce, err := plain.NegotiateServer("permessage-deflate"); a != "" || pmce != nil || err != nil {
		t.Errorf("a plain case accepted: %q %v %v", a, pmce, err)
	}
	if _, _, err := plain.NegotiateServer("permessage-deflate; bogus"); err == nil {
		t.Error("a plain case took a malformed offer")
	}
	if _, err := plain.NegotiateClient("permessage-deflate"); err == nil {
		t.Error("a plain case took an answer it did not ask for")
	}
	c, _ := cases.ByID("13.5.1")
	r := New(c)
	want := "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9"
	if r.Offer() != want {
		t.Errorf("13.5.1 offers %q, want %q", r.Offer(), want)
	}
	if a, pmce, err := r.NegotiateServer("permessage-deflate"); a != "" || pmce != nil || err != nil {
		t.Errorf("13.5.1 accepted an offer without client window: %q %v %v", a, pmce, err)
	}
	if a, pmce, err := r.NegotiateServer(want); err != nil || pmce == nil ||
		a != "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_no_context_takeover; client_max_window_bits=9" {
		t.Errorf("13.5.1 answer %q, %v", a, err)
	}
	if pmce, err := r.NegotiateClient(""); pmce != nil || err != nil {
		t.Errorf("no answer: %v %v", pmce, err)
	}
}
