package handshake

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wsfuzz/autobahn/internal/deflate"
)

// Fill writes the lines of a head with its placeholders ("{key}") replaced
// by vars, each line ended by CRLF and the head by an empty line.
func Fill(lines []string, vars map[string]string) string {
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	r := strings.NewReplacer(pairs...)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(r.Replace(l))
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

// FirstOffer is the first permessage-deflate element of a client's
// Sec-WebSocket-Extensions that RFC 7692 7 lets a server accept.
func FirstOffer(extensions string) (deflate.Extension, bool) {
	for _, e := range deflate.ParseExtensions(extensions) {
		if e.Name == deflate.Name && CheckOffer(e) == nil {
			return e, true
		}
	}
	return deflate.Extension{}, false
}

// DeflateAnswers are the permessage-deflate answers a server may give to
// offer, by placeholder name: "deflate" repeats what the server must (RFC
// 7692 7.1.1.1 server_no_context_takeover, 7.1.2.1 server_max_window_bits)
// and nothing else; "deflate:lowwindow" names a smaller server window (9
// when the offer named none); "deflate:snct" and "deflate:cnct" add the
// takeover flags a server may add (7.1.1.1, 7.1.1.2); "deflate:cmwb" asks
// the client for a window of 10 or the offered value if lower (7.1.2.2, only
// meaningful when the offer has client_max_window_bits).
func DeflateAnswers(offer deflate.Extension) map[string]string {
	has := func(k string) bool { return len(offer.Params[k]) > 0 }
	bits := func(k string) int {
		if !has(k) || !offer.Params[k][0].HasValue {
			return 0
		}
		n, _ := windowBits(offer.Params[k][0].Value)
		return n
	}
	base := deflate.Name
	if has("server_no_context_takeover") {
		base += "; server_no_context_takeover"
	}
	withWindow := func(b string, n int) string {
		if n == 0 {
			return b
		}
		return b + "; server_max_window_bits=" + strconv.Itoa(n)
	}
	low := 9
	if n := bits("server_max_window_bits"); n > 0 {
		low = max(n-1, deflate.MinWindowBits)
	}
	client := 10
	if n := bits("client_max_window_bits"); n > 0 {
		client = min(n, client)
	}
	minimal := withWindow(base, bits("server_max_window_bits"))
	snct := minimal
	if !has("server_no_context_takeover") {
		snct = withWindow(deflate.Name+"; server_no_context_takeover", bits("server_max_window_bits"))
	}
	return map[string]string{
		"deflate":           minimal,
		"deflate:lowwindow": withWindow(base, low),
		"deflate:snct":      snct,
		"deflate:cnct":      minimal + "; client_no_context_takeover",
		"deflate:cmwb":      fmt.Sprintf("%s; client_max_window_bits=%d", minimal, client),
	}
}
