package report

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// logLine is one line of the wire log on a case page, with the class that
// colours it.
type logLine struct {
	Class string
	Text  string
}

// wrapWidth is the width at which wire log data is wrapped; continuation
// lines are indented to line up under the data (15 spaces).
const (
	wrapWidth  = 100
	wrapIndent = "               "
)

// wirelogLines renders the wire log of r as the real fuzzer's case page does:
// every entry numbered %03d from 000 (entries that render no line still take
// a number), data wrapped at 100 characters, and a last line saying who
// dropped the TCP connection.
func wirelogLines(r *Result) ([]logLine, error) {
	var out []logLine
	for i, e := range r.Wirelog {
		n := fmt.Sprintf("%03d ", i)
		switch e.Kind {
		case wirelog.RxOctets, wirelog.TxOctets:
			class, prefix := "wl-rx-octets", "RX OCTETS: "
			if e.Kind == wirelog.TxOctets {
				class, prefix = "wl-tx-octets", "TX OCTETS: "
				if e.Sync {
					class = "wl-tx-octets-sync"
				}
			}
			for j, l := range pyWrap(e.Data, wrapWidth) {
				if j == 0 {
					out = append(out, logLine{class, n + prefix + l})
				} else {
					out = append(out, logLine{class, wrapIndent + l})
				}
			}
		case wirelog.RxFrame:
			// The real fuzzer hex-encodes the mask for its HTML although the
			// logged value is hex already, so a mask 0e39aed9 shows as
			// 3065333961656439. Reproduced on purpose.
			mask := pyOptStr(e.MaskHex)
			if e.MaskHex != nil && *e.MaskHex != "" {
				mask = hex.EncodeToString([]byte(*e.MaskHex))
			}
			out = append(out, logLine{"wl-rx-frame", fmt.Sprintf(
				"%sRX FRAME : OPCODE=%d, FIN=%s, RSV=%d, PAYLOAD-LEN=%d, MASKED=%s, MASK=%s",
				n, e.Opcode, pyBool(e.Fin), e.RSV, e.Len, pyBool(e.Masked), mask)})
			out = appendPayload(out, "wl-rx-frame", e.Data)
		case wirelog.TxFrame:
			class := "wl-tx-frame"
			if e.Sync || e.Chop != nil {
				class = "wl-tx-frame-sync"
			}
			out = append(out, logLine{class, fmt.Sprintf(
				"%sTX FRAME : OPCODE=%d, FIN=%s, RSV=%d, PAYLOAD-LEN=%d, MASK=%s, PAYLOAD-REPEAT-LEN=%s, CHOPSIZE=%s, SYNC=%s",
				n, e.Opcode, pyBool(e.Fin), e.RSV, e.Len, pyOptStr(e.MaskHex), pyOptInt(e.RepeatLen),
				pyOptInt(e.Chop), pyBool(e.Sync))})
			out = appendPayload(out, class, e.Data)
		case wirelog.Continue:
			out = append(out, logLine{"wl-delay", fmt.Sprintf("%sDELAY %f sec for TAG %s", n, e.Delay, pyOptStr(e.Tag))})
		case wirelog.ContinueFired:
			out = append(out, logLine{"wl-delay", fmt.Sprintf("%sDELAY TIMEOUT on TAG %s", n, pyOptStr(e.Tag))})
		case wirelog.Kill:
			out = append(out, logLine{"wl-timer", fmt.Sprintf("%sFAIL CONNECTION AFTER %f sec", n, e.Delay)})
		case wirelog.KillFired:
			out = append(out, logLine{"wl-timer", n + "FAILING CONNECTION"})
		case wirelog.CloseTimer:
			out = append(out, logLine{"wl-timer", fmt.Sprintf("%sCLOSE CONNECTION AFTER %f sec", n, e.Delay)})
		case wirelog.CloseFired:
			out = append(out, logLine{"wl-timer", n + "CLOSING CONNECTION"})
		case wirelog.Mode:
			state := "DISABLED"
			if e.Enabled {
				state = "ENABLED"
			}
			out = append(out, logLine{"wl-delay", n + "WIRELOG " + state})
		default:
			return nil, fmt.Errorf("wire log entry %d: unknown kind %q", i, e.Kind)
		}
	}
	last := fmt.Sprintf("%03d TCP DROPPED BY ", len(r.Wirelog))
	if r.DroppedByMe {
		return append(out, logLine{"wl-dropped-by-me", last + "ME"}), nil
	}
	return append(out, logLine{"wl-dropped-by-peer", last + "PEER"}), nil
}

// appendPayload adds the wrapped payload text of a frame, every line
// indented.
func appendPayload(out []logLine, class, data string) []logLine {
	for _, l := range pyWrap(data, wrapWidth) {
		out = append(out, logLine{class, wrapIndent + l})
	}
	return out
}

// pyWrap wraps s into lines of at most width characters as Python's
// textwrap.wrap does with its defaults: tabs expanded, each whitespace
// character turned into a space, words kept whole unless longer than a line,
// whitespace dropped at line ends (and at line starts but the first), lines
// of only whitespace dropped. Hyphenated words are not split: the wire log
// only holds lines longer than 100 characters for hex data, which has none.
func pyWrap(s string, width int) []string {
	chunks := wrapChunks(s)
	var lines []string
	for len(chunks) > 0 {
		if len(lines) > 0 && isBlank(chunks[0]) {
			chunks = chunks[1:]
		}
		var cur []string
		n := 0
		for len(chunks) > 0 && n+utf8.RuneCountInString(chunks[0]) <= width {
			n += utf8.RuneCountInString(chunks[0])
			cur = append(cur, chunks[0])
			chunks = chunks[1:]
		}
		if len(chunks) > 0 && utf8.RuneCountInString(chunks[0]) > width {
			head, tail := splitRunes(chunks[0], width-n)
			cur = append(cur, head)
			chunks[0] = tail
		}
		if len(cur) > 0 && isBlank(cur[len(cur)-1]) {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, ""))
		}
	}
	return lines
}

// wrapChunks expands tabs, turns ASCII whitespace into spaces and splits s
// into alternating runs of whitespace and of other characters.
func wrapChunks(s string) []string {
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			pad := 8 - col%8
			b.WriteString(strings.Repeat(" ", pad))
			col += pad
			continue
		case '\n', '\r':
			col = -1
			r = ' '
		case '\v', '\f':
			r = ' '
		}
		b.WriteRune(r)
		col++
	}
	var chunks []string
	start, blank := 0, false
	t := b.String()
	for i, r := range t {
		switch sp := pySpace(r); {
		case i == 0:
			blank = sp
		case sp != blank:
			chunks = append(chunks, t[start:i])
			start, blank = i, sp
		}
	}
	if start < len(t) {
		chunks = append(chunks, t[start:])
	}
	return chunks
}

// pySpace reports whether Python 2 counts r as whitespace in a unicode
// string.
func pySpace(r rune) bool {
	return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f || r == 0x180e
}

// isBlank reports whether s is whitespace only.
func isBlank(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !pySpace(r) }) < 0
}

// splitRunes splits s after n characters.
func splitRunes(s string, n int) (string, string) {
	for i := range s {
		if n == 0 {
			return s[:i], s[i:]
		}
		n--
	}
	return s, ""
}

// pyBool is Python's str of a bool.
func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// pyOptStr is Python's str of an optional string.
func pyOptStr(s *string) string {
	if s == nil {
		return "None"
	}
	return *s
}

// pyOptInt is Python's str of an optional int.
func pyOptInt(n *int) string {
	if n == nil {
		return "None"
	}
	return fmt.Sprint(*n)
}
