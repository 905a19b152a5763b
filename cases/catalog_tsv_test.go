package cases

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// catalogGolden is the real fuzzer's catalog as the shared reference table
// casesTSV describes it (that table is not part of the module), in the
// columns TestCatalogMatchesReference reads: every case id in order, what
// the fuzzer sends and what it expects. TestCatalogMatchesReference checks
// every registered case against it; TestCatalogGolden checks that it is the
// reference table's derivation, and rewrites it with -update.
const (
	catalogGolden = "testdata/catalog.tsv"
	casesTSV      = "../../shared/autobahn/cases.tsv"
)

var update = flag.Bool("update", false, "rewrite "+catalogGolden+" from "+casesTSV)

// goldenColumns are the columns of the reference table that the golden file
// keeps, in its order.
var goldenColumns = []string{"id", "index", "fuzzer_sends", "expected_events",
	"exp_closedByMe", "exp_closeCodes", "exp_requireClean", "verdict_notes"}

type tsvRow struct {
	id, index, sends, events, closedByMe, codes, clean, notes string
}

func loadCasesTSV(t *testing.T) []tsvRow {
	t.Helper()
	f, err := os.Open(catalogGolden)
	if err != nil {
		t.Fatalf("reference catalog: %v", err)
	}
	defer f.Close()
	var rows []tsvRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue // header
		}
		p := strings.Split(sc.Text(), "\t")
		if len(p) != len(goldenColumns) {
			t.Fatalf("%s line %d: %d columns, want %d", catalogGolden, line+1, len(p), len(goldenColumns))
		}
		rows = append(rows, tsvRow{id: p[0], index: p[1], sends: p[2], events: p[3],
			closedByMe: p[4], codes: p[5], clean: p[6], notes: p[7]})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reference catalog: %v", err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no case", catalogGolden)
	}
	return rows
}

// deriveGolden keeps goldenColumns of the reference table src, under a
// header line that names them and says where they come from.
func deriveGolden(src []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	var keep []int
	for _, name := range goldenColumns {
		i := slices.Index(head, name)
		if i < 0 {
			return nil, fmt.Errorf("%s has no column %q", casesTSV, name)
		}
		keep = append(keep, i)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s (derived from %s; regenerate with go test ./cases -run TestCatalogGolden -update)\n",
		strings.Join(goldenColumns, "\t"), strings.TrimPrefix(casesTSV, "../"))
	for n, line := range lines[1:] {
		p := strings.Split(line, "\t")
		if len(p) != len(head) {
			return nil, fmt.Errorf("%s line %d: %d columns, want %d", casesTSV, n+2, len(p), len(head))
		}
		for i, k := range keep {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(p[k])
		}
		b.WriteByte('\n')
	}
	return []byte(b.String()), nil
}

// TestCatalogGolden checks that testdata/catalog.tsv is the derivation of
// the shared reference table, where that table is present (a clone of the
// module alone has none), and with -update rewrites it.
func TestCatalogGolden(t *testing.T) {
	src, err := os.ReadFile(casesTSV)
	if os.IsNotExist(err) {
		t.Skipf("the reference catalog %s is absent (it is not part of the module): %s is not compared with it; TestCatalogMatchesReference still runs from %s", casesTSV, catalogGolden, catalogGolden)
	}
	if err != nil {
		t.Fatal(err)
	}
	want, err := deriveGolden(src)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(catalogGolden, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(catalogGolden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s is not the derivation of %s; first difference at line %d:\n got %q\nwant %q\nregenerate: go test ./cases -run TestCatalogGolden -update", catalogGolden, casesTSV, i+1, g, w)
			}
		}
	}
}

// TestCatalogMatchesReference checks ids, order and index of the registered
// cases, and for each: the close it expects, its verdict rule, what it sends
// (every frame's opcode, FIN, RSV, payload, chop and sync, every message,
// close and timer) and the events it expects.
func TestCatalogMatchesReference(t *testing.T) {
	rows := loadCasesTSV(t)
	byID := map[string]tsvRow{}
	var want []string
	for _, r := range rows {
		byID[r.id] = r
		if _, ok := ByID(r.id); ok {
			want = append(want, r.id)
		} else if !strings.HasPrefix(r.id, "12.") && !strings.HasPrefix(r.id, "13.") {
			t.Errorf("case %s of the reference catalog is not registered", r.id)
		}
	}
	var got []string
	for _, c := range All() {
		got = append(got, c.ID)
		if _, ok := byID[c.ID]; !ok {
			t.Errorf("registered case %s is not in the reference catalog", c.ID)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("case order differs from the reference catalog:\n got %v\nwant %v", got, want)
	}
	for _, c := range All() {
		r, ok := byID[c.ID]
		if !ok {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			if idx := strconv.Itoa(Index(c.ID)); idx != r.index {
				t.Errorf("index %s, reference %s", idx, r.index)
			}
			checkClose(t, c, r)
			checkRule(t, c, r.notes)
			checkSends(t, c, r.sends)
			checkEvents(t, c, r.events)
		})
	}
}

func checkClose(t *testing.T, c *Case, r tsvRow) {
	t.Helper()
	var codes []string
	for _, code := range c.Close.Codes {
		codes = append(codes, strconv.Itoa(code))
	}
	got := fmt.Sprintf("closedByMe=%s codes=%s requireClean=%s", pyBool(c.Close.ClosedByMe), strings.Join(codes, ","), pyBool(c.Close.RequireClean))
	want := fmt.Sprintf("closedByMe=%s codes=%s requireClean=%s", r.closedByMe, r.codes, r.clean)
	if got != want {
		t.Errorf("expected close:\n got %s\nwant %s", got, want)
	}
}

// checkRule compares the verdict rule with the reference's notes on it.
func checkRule(t *testing.T, c *Case, notes string) {
	t.Helper()
	has := func(s string) bool { return strings.Contains(notes, s) }
	judge := Standard
	switch {
	case has("if behaviorClose==WRONG CODE"):
		judge = WrongCodeFails
	case has("always INFORMATIONAL; result text"):
		judge = InformationalOrder
	case has("always INFORMATIONAL"):
		judge = Informational
	case has("txFrameStats"):
		judge = FrameCount
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"judge", c.Judge, judge},
		{"suppressClose", c.SuppressClose, has("suppressClose")},
		{"closedByWrongEndpointIsFatal", c.Close.WrongEndpointIsFatal, has("behavior forced FAILED if closedByMe")},
		{"hex local close reason", c.HexLocalReason, has("localCloseReason reported hex-encoded")},
		{"judged on echoes", c.Echo != nil || c.RoundTrip != nil, has("no expected dict")},
		{"compression", c.Compression != nil, has("permessage-deflate")},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, reference %v (%s)", ch.what, ch.got, ch.want, notes)
		}
	}
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// sent is one thing the fuzzer does, in a form both our steps and the
// reference notation turn into.
type sent struct {
	kind     string // F, MSG, CLOSE, RAWCLOSE, killAfter, closeAfter, wait, beginMessage, beginMessageFrame, frameData, endMessage, repeated
	op       int
	fin      bool
	rsv      int
	payload  []byte // the octets sent; nil when the reference cuts it short
	pattern  []byte // a frame's payload argument when repeated to its length
	length   int
	chop     int
	sync     bool
	binary   bool
	frag     int
	autofrag int
	code     string // "None" or a number
	reason   []byte
	delay    float64
	tag      string
	count    int
}

func (s sent) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(", s.kind)
	switch s.kind {
	case "F":
		fmt.Fprintf(&b, "op=%d fin=%v rsv=%d len=%d pl=%s", s.op, s.fin, s.rsv, s.length, show(s.payload))
		if s.pattern != nil {
			fmt.Fprintf(&b, " repeat(%s)", show(s.pattern))
		}
		fmt.Fprintf(&b, " chop=%d sync=%v", s.chop, s.sync)
	case "MSG":
		fmt.Fprintf(&b, "binary=%v len=%d pl=%s frag=%d autofrag=%d sync=%v", s.binary, s.length, show(s.payload), s.frag, s.autofrag, s.sync)
	case "CLOSE", "RAWCLOSE":
		fmt.Fprintf(&b, "code=%s reason=%s", s.code, show(s.reason))
	case "killAfter", "closeAfter":
		fmt.Fprintf(&b, "%g", s.delay)
	case "wait":
		fmt.Fprintf(&b, "%g tag=%s", s.delay, s.tag)
	case "beginMessage":
		fmt.Fprintf(&b, "binary=%v", s.binary)
	case "beginMessageFrame":
		fmt.Fprintf(&b, "len=%d", s.length)
	case "frameData":
		b.WriteString(show(s.payload))
	case "repeated":
		fmt.Fprintf(&b, "count=%d", s.count)
	}
	b.WriteString(")")
	return b.String()
}

// show renders octets compactly: length, the first octets and a digest.
func show(p []byte) string {
	if p == nil {
		return "<cut>"
	}
	sum := sha256.Sum256(p)
	head := p[:min(len(p), 16)]
	return fmt.Sprintf("[%d]%x…%x", len(p), head, sum[:4])
}

func checkSends(t *testing.T, c *Case, notation string) {
	t.Helper()
	want, err := parseSends(notation)
	if err != nil {
		t.Fatalf("reference notation: %v", err)
	}
	got, err := ourSends(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i].String()
		}
		if i < len(want) {
			// The reference cuts long compression payloads short, and the
			// compression cases' data sets are not the real fuzzer's files:
			// where either side has no payload, it is not compared.
			if i < len(got) && (want[i].payload == nil || got[i].payload == nil) {
				got[i].payload, want[i].payload = nil, nil
				g = got[i].String()
			}
			w = want[i].String()
		}
		if g != w {
			t.Errorf("sends, step %d:\n got %s\nwant %s", i+1, g, w)
		}
	}
	if c.Echo != nil {
		checkEcho(t, c.Echo, want)
	}
}

// checkEcho compares what 9.1-9.6 wait for with what they send.
func checkEcho(t *testing.T, e *Echo, want []sent) {
	t.Helper()
	var msg, timer *sent
	for i := range want {
		switch want[i].kind {
		case "F", "MSG":
			msg = &want[i]
		case "closeAfter":
			timer = &want[i]
		}
	}
	if msg == nil || timer == nil {
		t.Fatalf("reference has no message or no closeAfter")
	}
	binary := msg.binary || msg.op == int(frame.OpBinary)
	if e.Binary != binary || e.Length != msg.length || e.Wait.Seconds() != timer.delay {
		t.Errorf("echo wait: got binary=%v length=%d wait=%v, reference binary=%v length=%d wait=%gs",
			e.Binary, e.Length, e.Wait, binary, msg.length, timer.delay)
	}
}

// ourSends renders a case into the same form as the reference notation.
func ourSends(c *Case) ([]sent, error) {
	switch {
	case c.RoundTrip != nil:
		rt := c.RoundTrip
		op, pattern := frame.OpText, []byte("*")
		if rt.Binary {
			op, pattern = frame.OpBinary, []byte{0xfe}
		}
		pl, err := frame.Repeat(pattern, rt.Length)
		if err != nil {
			return nil, err
		}
		return []sent{{kind: "closeAfter", delay: rt.Wait.Seconds()},
			{kind: "F", op: int(op), fin: true, payload: pl, pattern: pattern, length: rt.Length},
			{kind: "repeated", count: rt.Count}}, nil
	case c.Compression != nil:
		x := c.Compression
		return []sent{{kind: "closeAfter", delay: x.Wait.Seconds()},
			{kind: "MSG", binary: x.Binary, length: x.Length, autofrag: x.AutoFragment},
			{kind: "repeated", count: x.Count}}, nil
	}
	var out []sent
	autofrag := 0
	for i, s := range c.Steps {
		var o sent
		switch s.Action {
		case SendFrame:
			o = sent{kind: "F", op: int(s.Opcode), fin: s.Fin, rsv: int(s.RSV), payload: s.Payload, chop: s.Chop, sync: s.Sync}
			if s.RepeatLen != nil {
				pl, err := frame.Repeat(s.Payload, *s.RepeatLen)
				if err != nil {
					return nil, fmt.Errorf("step %d: %w", i+1, err)
				}
				o.payload, o.pattern = pl, s.Payload
			}
			o.length = len(o.payload)
		case SendMessage:
			pl, err := s.MessagePayload()
			if err != nil {
				return nil, fmt.Errorf("step %d: %w", i+1, err)
			}
			o = sent{kind: "MSG", binary: s.Binary, payload: pl, length: len(pl), frag: s.FragSize, autofrag: autofrag, sync: s.Sync}
		case SendClose, SendRawClose:
			o = sent{kind: map[Action]string{SendClose: "CLOSE", SendRawClose: "RAWCLOSE"}[s.Action], code: "None", reason: s.Reason}
			if s.Code != nil {
				o.code = strconv.Itoa(*s.Code)
			}
		case KillAfter:
			o = sent{kind: "killAfter", delay: s.Delay.Seconds()}
		case CloseAfter:
			o = sent{kind: "closeAfter", delay: s.Delay.Seconds()}
		case Wait:
			o = sent{kind: "wait", delay: s.Delay.Seconds(), tag: "None"}
			switch {
			case s.Tag != nil && s.Record:
				o.tag = *s.Tag
			case s.Tag != nil || s.Record:
				o.tag = fmt.Sprintf("<tag %v record %v>", s.Tag, s.Record)
			}
		case BeginMessage:
			o = sent{kind: "beginMessage", binary: s.Binary}
		case BeginFrame:
			o = sent{kind: "beginMessageFrame", length: s.Length}
		case FrameData:
			o = sent{kind: "frameData", payload: s.Payload}
		case EndMessage:
			o = sent{kind: "endMessage"}
		case AutoFragment:
			autofrag = s.Length
			continue
		default:
			return nil, fmt.Errorf("step %d: unknown action %d", i+1, s.Action)
		}
		if o.reason == nil && (o.kind == "CLOSE" || o.kind == "RAWCLOSE") {
			o.reason = []byte{}
		}
		if o.payload == nil && (o.kind == "F" || o.kind == "MSG" || o.kind == "frameData") {
			o.payload = []byte{}
		}
		out = append(out, o)
	}
	return out, nil
}

// parseSends reads the reference's fuzzer_sends notation.
func parseSends(s string) ([]sent, error) {
	var out []sent
	for _, item := range splitTop(s, " ; ") {
		o, err := parseSend(item)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", item, err)
		}
		out = append(out, o)
	}
	return out, nil
}

func parseSend(item string) (sent, error) {
	switch {
	case strings.HasPrefix(item, "... repeated:"):
		f := strings.Fields(item)
		n, err := strconv.Atoi(f[len(f)-3])
		return sent{kind: "repeated", count: n}, err
	case strings.HasPrefix(item, "endMessage"):
		return sent{kind: "endMessage"}, nil
	}
	name, args, err := call(item)
	if err != nil {
		return sent{}, err
	}
	o := sent{kind: name, code: "None", tag: "None"}
	for i, a := range args {
		k, v, kv := strings.Cut(a, "=")
		if !kv {
			k, v = "", a
		}
		switch {
		case name == "F" && k == "op":
			o.op, err = strconv.Atoi(v)
		case name == "F" && k == "fin":
			o.fin = v == "1"
		case name == "F" && k == "rsv":
			o.rsv, err = strconv.Atoi(v)
		case k == "len":
			o.length, err = strconv.Atoi(v)
		case k == "pl":
			o.payload, o.pattern, err = parsePayload(v)
		case k == "chop":
			o.chop, err = strconv.Atoi(v)
		case a == "sync":
			o.sync = true
		case k == "fragsize":
			o.frag, err = strconv.Atoi(v)
		case k == "autofrag":
			o.autofrag, err = strconv.Atoi(v)
		case k == "code":
			o.code = v
		case k == "reason":
			o.reason, _, err = parsePayload(v)
		case k == "tag":
			o.tag = v
		case (name == "MSG" || name == "beginMessage") && i == 0:
			o.binary = v == "bin"
		case (name == "killAfter" || name == "closeAfter" || name == "wait") && i == 0:
			o.delay, err = strconv.ParseFloat(v, 64)
		case name == "frameData" && i == 0:
			o.payload, _, err = parsePayload(v)
		default:
			err = fmt.Errorf("unexpected argument %q", a)
		}
		if err != nil {
			return sent{}, err
		}
	}
	if (name == "CLOSE" || name == "RAWCLOSE") && o.reason == nil {
		o.reason = []byte{}
	}
	if name == "MSG" && o.payload != nil && len(o.payload) != o.length {
		return sent{}, fmt.Errorf("payload of %d octets, len=%d", len(o.payload), o.length)
	}
	return o, nil
}

// call splits "name(a,b,...)" into the name and its top-level arguments.
func call(s string) (string, []string, error) {
	i := strings.IndexByte(s, '(')
	if i < 0 || !strings.HasSuffix(s, ")") {
		return "", nil, fmt.Errorf("not a call")
	}
	return s[:i], splitTop(s[i+1:len(s)-1], ","), nil
}

// splitTop splits s at sep where it is outside quotes and parentheses.
func splitTop(s, sep string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	if s != "" {
		out = append(out, s[start:])
	}
	return out
}

// parsePayload reads a payload: 'text', 0xHEX, either followed by xN
// (repeated N times), "repeat(P) to len=N" (also returning the pattern P),
// or "0xHEX...(len=N)", cut short (nil).
func parsePayload(s string) (payload, pattern []byte, err error) {
	if rest, ok := strings.CutPrefix(s, "repeat("); ok {
		p, n, ok := strings.Cut(rest, ") to len=")
		if !ok {
			return nil, nil, fmt.Errorf("bad repeat %q", s)
		}
		pattern, err = parseLiteral(p)
		if err != nil {
			return nil, nil, err
		}
		size, err := strconv.Atoi(n)
		if err != nil {
			return nil, nil, err
		}
		payload, err = frame.Repeat(pattern, size)
		return payload, pattern, err
	}
	if strings.Contains(s, "...(len=") {
		return nil, nil, nil
	}
	payload, err = parseLiteral(s)
	return payload, nil, err
}

// parseLiteral reads 'text' or 0xHEX, optionally followed by xN.
func parseLiteral(s string) ([]byte, error) {
	var lit []byte
	var rest string
	switch {
	case strings.HasPrefix(s, "'"):
		end := strings.IndexByte(s[1:], '\'')
		if end < 0 {
			return nil, fmt.Errorf("unterminated %q", s)
		}
		lit, rest = []byte(s[1:1+end]), s[2+end:]
	case strings.HasPrefix(s, "0x"):
		end := 2
		for end < len(s) && strings.IndexByte("0123456789abcdef", s[end]) >= 0 {
			end++
		}
		var err error
		if lit, err = hex.DecodeString(s[2:end]); err != nil {
			return nil, fmt.Errorf("bad hex %q: %w", s, err)
		}
		rest = s[end:]
	default:
		return nil, fmt.Errorf("bad payload %q", s)
	}
	if rest == "" {
		return lit, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(rest, "x"))
	if err != nil || !strings.HasPrefix(rest, "x") {
		return nil, fmt.Errorf("bad repetition in %q", s)
	}
	return []byte(strings.Repeat(string(lit), n)), nil
}

func checkEvents(t *testing.T, c *Case, notation string) {
	t.Helper()
	if strings.HasPrefix(notation, "none") {
		if len(c.Expected) != 0 {
			t.Errorf("expected events %v, reference has none", c.Expected)
		}
		return
	}
	want := map[string][]Event{}
	for _, part := range splitTop(notation, "; ") {
		key, list, ok := strings.Cut(part, "=")
		if !ok || !strings.HasPrefix(list, "[") || !strings.HasSuffix(list, "]") {
			t.Fatalf("reference events: bad %q", part)
		}
		evs := []Event{}
		for _, item := range splitTop(list[1:len(list)-1], ",") {
			e, err := parseEvent(item)
			if err != nil {
				t.Fatalf("reference events: %q: %v", item, err)
			}
			evs = append(evs, e)
		}
		want[key] = evs
	}
	if len(c.Expected) != len(want) {
		t.Errorf("%d expected outcomes, reference %d (%s)", len(c.Expected), len(want), notation)
	}
	for _, o := range c.Expected {
		w, ok := want[string(o.Key)]
		if !ok {
			t.Errorf("outcome %s is not in the reference (%s)", o.Key, notation)
			continue
		}
		if !EventsEqual(o.Events, w) {
			t.Errorf("outcome %s: got %s, reference %s", o.Key, showEvents(o.Events), showEvents(w))
		}
	}
}

func parseEvent(s string) (Event, error) {
	name, args, err := call(s)
	if err != nil {
		return Event{}, err
	}
	switch {
	case name == "msg" && len(args) == 2:
		p, _, err := parsePayload(args[1])
		return Event{Kind: Message, Payload: p, Binary: args[0] == "bin"}, err
	case name == "pong" && len(args) == 1:
		p, _, err := parsePayload(args[0])
		return Event{Kind: Pong, Payload: p}, err
	case name == "timeout" && len(args) == 1:
		return Event{Kind: Timeout, Tag: args[0]}, nil
	}
	return Event{}, fmt.Errorf("unknown event")
}

func showEvents(es []Event) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("%s(%s binary=%v tag=%q)", e.Kind, show(e.Payload), e.Binary, e.Tag))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
