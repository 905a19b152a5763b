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
// offer, by placeholder name: "deflate:minimal" repeats what the server must
// (RFC 7692 7.1.1.1 server_no_context_takeover, 7.1.2.1
// server_max_window_bits) and nothing else; "deflate" is that plus
// client_no_context_takeover when the offer had it, the answer most servers
// give; "deflate:lowwindow" names a smaller server window (one below the
// offered, 9 when the offer named none); "deflate:snct" and "deflate:cnct"
// add the takeover flags a server may add (7.1.1.1, 7.1.1.2);
// "deflate:cmwb" asks the client for a window of 10, or the offered value
// if lower (7.1.2.2, meaningful only when the offer has
// client_max_window_bits). Two are invalid on purpose, each in one way:
// "deflate:window7" names server_max_window_bits=7, "deflate:snct2" names
// server_no_context_takeover twice.
func DeflateAnswers(offer deflate.Extension) map[string]string {
	has := func(k string) bool { return len(offer.Params[k]) > 0 }
	bits := func(k string) int {
		if !has(k) || !offer.Params[k][0].HasValue {
			return 0
		}
		n, _ := windowBits(offer.Params[k][0].Value)
		return n
	}
	answer := func(snct int, window int, cnct bool) string {
		s := deflate.Name + strings.Repeat("; server_no_context_takeover", snct)
		if window > 0 {
			s += "; server_max_window_bits=" + strconv.Itoa(window)
		}
		if cnct {
			s += "; client_no_context_takeover"
		}
		return s
	}
	snct, window, cnct := 0, bits("server_max_window_bits"), has("client_no_context_takeover")
	if has("server_no_context_takeover") {
		snct = 1
	}
	low := 9
	if window > 0 {
		low = max(window-1, deflate.MinWindowBits)
	}
	client := 10
	if n := bits("client_max_window_bits"); n > 0 {
		client = min(n, client)
	}
	usual := answer(snct, window, cnct)
	return map[string]string{
		"deflate:minimal":   answer(snct, window, false),
		"deflate":           usual,
		"deflate:lowwindow": answer(snct, low, cnct),
		"deflate:snct":      answer(1, window, cnct),
		"deflate:cnct":      answer(snct, window, true),
		"deflate:window7":   answer(snct, 7, cnct),
		"deflate:snct2":     answer(2, window, cnct),
		"deflate:cmwb":      fmt.Sprintf("%s; client_max_window_bits=%d", usual, client),
	}
}
