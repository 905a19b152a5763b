package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// pickleLimit is how many characters of the expected and observed events a
// case page shows; longer texts are cut to leave room for " ...".
const pickleLimit = 1000

// limitText cuts s as the real fuzzer does: when longer than limit minus the
// ellipsis, to that length plus " ...". s is ASCII (a Python repr).
func limitText(s string, limit int) string {
	const ellipsis = " ..."
	if len(s) > limit-len(ellipsis) {
		return s[:limit-len(ellipsis)] + ellipsis
	}
	return s
}

// expectedKeyOrder is the order in which the real fuzzer lists the keys of
// the expected events: the order its cases set them in (OK first).
var expectedKeyOrder = []string{string(OK), string(NonStrict), string(Informational)}

// expectedRepr renders the expected events as the real fuzzer prints them:
// a Python dict of lists of tuples, {'OK': [('message', u'...', False)]}.
func expectedRepr(m map[string][]Event) (string, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(expectedKeyOrder, a), slices.Index(expectedKeyOrder, b)
		switch {
		case ia >= 0 && ib >= 0:
			return ia - ib
		case ia >= 0:
			return -1
		case ib >= 0:
			return 1
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		evs, err := eventsRepr(m[k])
		if err != nil {
			return "", fmt.Errorf("expected %s: %w", k, err)
		}
		parts[i] = pyStrRepr(k) + ": " + evs
	}
	return "{" + strings.Join(parts, ", ") + "}", nil
}

// eventsRepr renders events as a Python list of tuples.
func eventsRepr(es []Event) (string, error) {
	parts := make([]string, len(es))
	for i, e := range es {
		var err error
		if parts[i], err = eventRepr(e); err != nil {
			return "", err
		}
	}
	return "[" + strings.Join(parts, ", ") + "]", nil
}

// eventRepr renders one event as the real fuzzer's tuple. Payloads are shown
// as in the JSON report: unicode text when they decode as UTF-8, else a
// plain string of 0x and hex.
func eventRepr(e Event) (string, error) {
	switch e.Kind {
	case "message":
		return fmt.Sprintf("('message', %s, %s)", payloadRepr(e.Payload), pyBool(e.Binary)), nil
	case "pong", "ping":
		return fmt.Sprintf("(%s, %s)", pyStrRepr(e.Kind), payloadRepr(e.Payload)), nil
	case "timeout":
		return fmt.Sprintf("('timeout', %s)", pyStrRepr(e.Tag)), nil
	}
	return "", fmt.Errorf("unknown event kind %q", e.Kind)
}

// payloadRepr is the Python 2 repr of the display text of a payload.
func payloadRepr(p []byte) string {
	t := wirelog.Text(p)
	if t == "0x"+wirelog.Hex(p) {
		return pyStrRepr(t)
	}
	return "u" + pyStrRepr(t)
}

// pyStrRepr quotes s as Python 2's repr does, without the u prefix of a
// unicode string: single quotes unless s holds a single quote and no double
// quote, backslash escapes for the quote, the backslash, tab, newline and
// carriage return, \xNN, \uNNNN or \UNNNNNNNN for other control and non-ASCII
// characters.
func pyStrRepr(s string) string {
	quote := '\''
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteRune(quote)
	for _, r := range s {
		switch {
		case r == quote || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteRune(quote)
	return b.String()
}
