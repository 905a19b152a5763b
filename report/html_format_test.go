package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

func TestWirelogLinesEveryKind(t *testing.T) {
	mask := [4]byte{0xa1, 0xb2, 0xc3, 0xd4}
	tag := "A"
	long := make([]byte, 70)
	for i := range long {
		long[i] = byte(0x80 + i)
	}
	r := &Result{Wirelog: []WireEntry{
		WireEntry(wirelog.ModeEntry(true)),
		WireEntry(wirelog.TxOctetsEntry(nil, false)),
		WireEntry(wirelog.TxOctetsEntry([]byte{1, 2}, true)),
		WireEntry(wirelog.TxFrameEntry(2, false, 1, &mask, []byte("ab"), intp(10), nil, true)),
		WireEntry(wirelog.TxFrameEntry(10, true, 0, &mask, long, nil, nil, false)),
		WireEntry(wirelog.RxFrameEntry(9, true, 0, nil, []byte("ping  me\n"))),
		WireEntry(wirelog.ContinueEntry(wirelog.Continue, 1, &tag)),
		WireEntry(wirelog.ContinueEntry(wirelog.ContinueFired, 0, &tag)),
		WireEntry(wirelog.ContinueEntry(wirelog.Continue, 0.5, nil)),
		WireEntry(wirelog.TimerEntry(wirelog.Kill, 1)),
		WireEntry(wirelog.TimerEntry(wirelog.KillFired, 0)),
		WireEntry(wirelog.TimerEntry(wirelog.CloseTimer, 2.25)),
		WireEntry(wirelog.TimerEntry(wirelog.CloseFired, 0)),
		WireEntry(wirelog.ModeEntry(false)),
	}}
	got, err := wirelogLines(r)
	if err != nil {
		t.Fatal(err)
	}
	longHex := "0x" + wirelog.Hex(long)
	want := []logLine{
		{"wl-delay", "000 WIRELOG ENABLED"},
		{"wl-tx-octets-sync", "002 TX OCTETS: 0102"},
		{"wl-tx-frame-sync", "003 TX FRAME : OPCODE=2, FIN=False, RSV=1, PAYLOAD-LEN=2, MASK=a1b2c3d4, PAYLOAD-REPEAT-LEN=10, CHOPSIZE=None, SYNC=True"},
		{"wl-tx-frame-sync", wrapIndent + "ab"},
		{"wl-tx-frame", "004 TX FRAME : OPCODE=10, FIN=True, RSV=0, PAYLOAD-LEN=70, MASK=a1b2c3d4, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=None, SYNC=False"},
		{"wl-tx-frame", wrapIndent + longHex[:100]},
		{"wl-tx-frame", wrapIndent + longHex[100:]},
		{"wl-rx-frame", "005 RX FRAME : OPCODE=9, FIN=True, RSV=0, PAYLOAD-LEN=9, MASKED=False, MASK=None"},
		{"wl-rx-frame", wrapIndent + "ping  me"},
		{"wl-delay", "006 DELAY 1.000000 sec for TAG A"},
		{"wl-delay", "007 DELAY TIMEOUT on TAG A"},
		{"wl-delay", "008 DELAY 0.500000 sec for TAG None"},
		{"wl-timer", "009 FAIL CONNECTION AFTER 1.000000 sec"},
		{"wl-timer", "010 FAILING CONNECTION"},
		{"wl-timer", "011 CLOSE CONNECTION AFTER 2.250000 sec"},
		{"wl-timer", "012 CLOSING CONNECTION"},
		{"wl-delay", "013 WIRELOG DISABLED"},
		{"wl-dropped-by-peer", "014 TCP DROPPED BY PEER"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("wire log:\n got %q\nwant %q", got, want)
	}
}

// TestPyWrap checks pyWrap against what Python 2.7's textwrap.wrap returns
// for the same input.
func TestPyWrap(t *testing.T) {
	hex134 := "0x" + strings.Repeat("ab", 64) + " ..."
	for _, tc := range []struct {
		in    string
		width int
		want  []string
	}{
		{"", 100, nil},
		{" ", 100, nil},
		{"Hello, world!", 100, []string{"Hello, world!"}},
		{"Hello, world! How are you today?", 10, []string{"Hello,", "world! How", "are you", "today?"}},
		{"  lead\tand\ttabs\nnewline  ", 100, []string{"  lead  and     tabs newline"}},
		{"abc  \u3000 def", 5, []string{"abc", "def"}},
		{hex134, 100, []string{hex134[:100], hex134[100:]}},
	} {
		if got := pyWrap(tc.in, tc.width); !slices.Equal(got, tc.want) {
			t.Errorf("pyWrap(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
	}
}

// TestPythonRepr checks the event reprs against Python 2's repr of the same
// values.
func TestPythonRepr(t *testing.T) {
	got, err := eventsRepr([]Event{
		{Kind: "message", Payload: []byte("it's"), Binary: true},
		{Kind: "message", Payload: []byte(`it's "q"`)},
		{Kind: "pong", Payload: []byte("a\\b\t\n\r\x00\x7f")},
		{Kind: "timeout", Tag: "A"},
		{Kind: "message", Payload: []byte{0xff, 0xfe}, Binary: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `[('message', u"it's", True), ('message', u'it\'s "q"', False), ('pong', u'a\\b\t\n\r\x00\x7f'), ('timeout', 'A'), ('message', '0xfffe', True)]`
	if got != want {
		t.Errorf("events repr\n got %s\nwant %s", got, want)
	}
	got, err = expectedRepr(map[string][]Event{
		"NON-STRICT": {},
		"OK":         {{Kind: "message", Payload: []byte("caf\u00e9 \u20ac \U0001f600")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The real fuzzer (under PyPy) lists the keys in the order its cases set
	// them: OK first.
	want = `{'OK': [('message', u'caf\xe9 \u20ac \U0001f600', False)], 'NON-STRICT': []}`
	if got != want {
		t.Errorf("expected repr\n got %s\nwant %s", got, want)
	}
	if got, _ := expectedRepr(map[string][]Event{}); got != "{}" {
		t.Errorf("empty expected shown as %s", got)
	}
}

func TestLimitText(t *testing.T) {
	for _, n := range []int{0, 996, 997, 1000, 5000} {
		s := strings.Repeat("x", n)
		got := limitText(s, 1000)
		if n <= 996 && got != s || n > 996 && got != strings.Repeat("x", 996)+" ..." {
			t.Errorf("limitText of %d chars gave %d chars ending %q", n, len(got), got[max(0, len(got)-6):])
		}
	}
}

func TestCategories(t *testing.T) {
	for _, tc := range []struct{ id, catNum, cat, subNum, sub string }{
		{"1.1.1", "1", "Framing", "1.1", "Text Messages"},
		{"2.10", "2", "Pings/Pongs", "2.10", ""},
		{"6.4.3", "6", "UTF-8 Handling", "6.4", "Fail-fast on invalid UTF-8"},
		{"10.1.1", "10", "Misc", "10.1", "Auto-Fragmentation"},
		{"11.1", "11", "Misc", "11.1", ""},
		{"13.7.18", "13", "WebSocket Compression (different parameters)", "13.7",
			"Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)]"},
	} {
		catNum, cat := category(tc.id)
		subNum, sub := subcategory(tc.id)
		if catNum != tc.catNum || cat != tc.cat || subNum != tc.subNum || sub != tc.sub {
			t.Errorf("%s: category %s %q, subcategory %s %q", tc.id, catNum, cat, subNum, sub)
		}
	}
}
