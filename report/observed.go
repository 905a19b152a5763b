package report

import (
	"fmt"
	"strings"

	"github.com/wsfuzz/autobahn/internal/plural"
)

// observed says how the connection of r went, from what was recorded rather
// than from the fuzzer's reason texts, which name what a case waited for
// and can be stale ("Case did not finish within 60 seconds" for a peer that
// hung up at once): who ended TCP and when, how many frames each side had
// sent, and the negotiated extensions and subprotocol.
func observed(r *Result) string {
	who := "the peer"
	if r.DroppedByMe {
		who = "the fuzzer"
	}
	frames := fmt.Sprintf("%s from the peer, %s from the fuzzer",
		plural.Count(r.RxFrameStats.Count(), "frame"), plural.Count(r.TxFrameStats.Count(), "frame"))
	if !r.ExpectedClose.Set {
		return fmt.Sprintf("observed: the opening handshake never completed; %s dropped TCP %d ms after connecting", who, r.Duration)
	}
	how := "dropped TCP"
	if r.WasClean {
		how = "closed TCP after a clean closing handshake,"
	}
	return fmt.Sprintf("observed: %s %s %d ms after the opening handshake (%s); extensions %s, subprotocol %s",
		who, how, r.Duration, frames, headerOr(r.HTTPResponse, "Sec-WebSocket-Extensions"), headerOr(r.HTTPResponse, "Sec-WebSocket-Protocol"))
}

// headerOr is the value of the header name in the raw HTTP message msg
// (its lines joined by ", "), quoted, or "none".
func headerOr(msg, name string) string {
	var values []string
	for _, line := range strings.Split(msg, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			values = append(values, strings.TrimSpace(v))
		}
	}
	if len(values) == 0 {
		return "none"
	}
	return fmt.Sprintf("%q", strings.Join(values, ", "))
}
