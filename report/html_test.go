package report

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

func intp(v int) *int       { return &v }
func strp(v string) *string { return &v }

// seedResult is case 3.4 as /work/shared/seed-case-3.4.txt reports it (a real
// fuzzer run as server against a client called Mint), with descriptions of
// our own.
func seedResult(t *testing.T) *Result {
	t.Helper()
	req := "GET /runCase?case=31&agent=Mint HTTP/1.1\r\nhost: localhost:9001\r\nuser-agent: mint/1.4.1\r\n" +
		"upgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-version: 13\r\n" +
		"sec-websocket-key: ZN8cnFSKYz48UGAEzsNaTQ==\r\n\r\n"
	resp := "HTTP/1.1 101 Switching Protocols\r\nServer: AutobahnTestSuite/0.8.2-0.10.9\r\n" +
		"X-Powered-By: AutobahnPython/0.10.9\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: t30CllgeNig2js4kYuMSZhuZ2KA=\r\n\r\n"
	hello := []byte("Hello, world!")
	one := intp(1)
	wl := []WireEntry{
		WireEntry(wirelog.RxOctetsEntry([]byte(req))),
		WireEntry(wirelog.TxOctetsEntry([]byte(resp), false)),
		WireEntry(wirelog.TxFrameEntry(1, true, 0, nil, hello, nil, one, false)),
		WireEntry(wirelog.TxOctetsEntry([]byte{0x81}, true)),
		WireEntry(wirelog.TxFrameEntry(1, true, 4, nil, hello, nil, one, false)),
		WireEntry(wirelog.TxFrameEntry(9, true, 0, nil, nil, nil, one, false)),
		WireEntry(wirelog.TimerEntry(wirelog.Kill, 1)),
	}
	octets := func(h string) {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range b {
			wl = append(wl, WireEntry(wirelog.TxOctetsEntry([]byte{c}, true)))
		}
	}
	octets("0d48656c6c6f2c20776f726c6421c10d48656c6c6f2c20776f72")
	wl = append(wl,
		WireEntry(wirelog.RxOctetsEntry([]byte("\x81\x8d\x0e\x39\xae\xd9\x46\x5c\xc2\xb5\x61\x15\x8e\xae\x61\x4b\xc2\xbd\x2f"))),
		WireEntry(wirelog.RxFrameEntry(1, true, 0, &[4]byte{0x0e, 0x39, 0xae, 0xd9}, hello)))
	octets("6c64218900")
	wl = append(wl,
		WireEntry(wirelog.RxOctetsEntry([]byte("\x88\x82\x2f\x56\x15\x01\x2c\xbc"))),
		WireEntry(wirelog.RxFrameEntry(8, true, 0, &[4]byte{0x2f, 0x56, 0x15, 0x01}, []byte{0x03, 0xea})),
		WireEntry(wirelog.TxFrameEntry(8, true, 0, nil, []byte{0x03, 0xe8}, nil, nil, false)),
		WireEntry(wirelog.TxOctetsEntry([]byte{0x88, 0x02, 0x03, 0xe8}, false)))
	msg := Event{Kind: "message", Payload: hello}
	return &Result{
		Agent: "Mint", ID: "3.4", Case: 31, Behavior: "OK", BehaviorClose: "OK",
		Description: "Our own description of 3.4.", Expectation: "Our own expectation of 3.4.",
		Duration: 16, Started: "2022-02-27T20:32:12.295Z",
		Result: "Actual events match at least one expected.", ResultClose: "Connection was properly closed",
		Expected: map[string][]Event{"NON-STRICT": {}, "OK": {msg}}, Received: []Event{msg},
		ExpectedClose: ExpectedClose{Set: true, CloseCode: []int{1002}},
		HTTPRequest:   req, HTTPResponse: resp,
		IsServer: true, DroppedByMe: true, WasClean: true,
		LocalCloseCode: intp(1000), RemoteCloseCode: intp(1002),
		CreateStats: true, CreateWirelog: true,
		RxOctetStats: Stats{8: 1, 19: 1, 203: 1}, TxOctetStats: Stats{1: 32, 4: 1, 206: 1},
		RxFrameStats: Stats{1: 1, 8: 1}, TxFrameStats: Stats{1: 2, 8: 1, 9: 1},
		Wirelog: wl,
	}
}

// seedLines are the lines of the seed report (but for its description and
// expectation prose and the closing table's descriptions, which are in our
// own words; the table's keys and values are the seed's), in order, as the
// text of our page must show them.
const seedLines = `Autobahn WebSocket Testsuite Report
Mint - Case 3.4 : Pass - 16 ms @ 2022-02-27T20:32:12.295Z
Case Description
Our own description of 3.4.
Case Expectation
Our own expectation of 3.4.
Case Outcome
Actual events match at least one expected.
Expected:
{'OK': [('message', u'Hello, world!', False)], 'NON-STRICT': []}
Observed:
[('message', u'Hello, world!', False)]
Case Closing Behavior
Connection was properly closed (OK)
Opening Handshake
GET /runCase?case=31&agent=Mint HTTP/1.1
host: localhost:9001
user-agent: mint/1.4.1
upgrade: websocket
connection: upgrade
sec-websocket-version: 13
sec-websocket-key: ZN8cnFSKYz48UGAEzsNaTQ==
HTTP/1.1 101 Switching Protocols
Server: AutobahnTestSuite/0.8.2-0.10.9
X-Powered-By: AutobahnPython/0.10.9
Upgrade: WebSocket
Connection: Upgrade
Sec-WebSocket-Accept: t30CllgeNig2js4kYuMSZhuZ2KA=
Closing Behavior
KeyValueDescription
isServerTrueTrue when the fuzzer played the server and the implementation under test was the client.
closedByMeFalseTrue when the fuzzer sent the first close frame, starting the closing handshake itself.
failedByMeFalseTrue when the fuzzer gave up on the connection over a protocol violation, by starting the closing handshake or by cutting the TCP connection.
droppedByMeTrueTrue when the fuzzer was the side that cut the TCP connection.
wasCleanTrueTrue when close frames went both ways and then the server, whose job it is, closed the TCP connection.
wasNotCleanReasonNoneIf wasClean is False: what went wrong.
wasServerConnectionDropTimeoutFalseTrue when the fuzzer, as the client, waited for the server to close the TCP connection and gave up waiting.
wasOpenHandshakeTimeoutFalseTrue when the peer did not complete the opening handshake within the time allowed.
wasCloseHandshakeTimeoutFalseTrue when the fuzzer started the closing handshake and the peer's close frame did not come within the time allowed.
localCloseCode1000The status code in the fuzzer's close frame, if it sent one.
localCloseReasonNoneThe reason text in the fuzzer's close frame, if it sent one.
remoteCloseCode1002The status code in the peer's close frame, if it sent one.
remoteCloseReasonNoneThe reason text in the peer's close frame, if it sent one.
Wire Statistics
Octets Received by Chop Size
Chop SizeCountOctets
818
19119
2031203
Total3230
Octets Transmitted by Chop Size
Chop SizeCountOctets
13232
414
2061206
Total34242
Frames Received by Opcode
OpcodeCount
11
81
Total2
Frames Transmitted by Opcode
OpcodeCount
12
81
91
Total4
Wire Log
000 RX OCTETS: 474554202f72756e436173653f636173653d3331266167656e743d4d696e7420485454502f312e310d0a686f73743a206c6f
               63616c686f73743a393030310d0a ...
001 TX OCTETS: 485454502f312e312031303120537769746368696e672050726f746f636f6c730d0a5365727665723a204175746f6261686e
               5465737453756974652f302e382e ...
002 TX FRAME : OPCODE=1, FIN=True, RSV=0, PAYLOAD-LEN=13, MASK=None, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=1, SYNC=False
               Hello, world!
003 TX OCTETS: 81
004 TX FRAME : OPCODE=1, FIN=True, RSV=4, PAYLOAD-LEN=13, MASK=None, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=1, SYNC=False
               Hello, world!
005 TX FRAME : OPCODE=9, FIN=True, RSV=0, PAYLOAD-LEN=0, MASK=None, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=1, SYNC=False
006 FAIL CONNECTION AFTER 1.000000 sec
007 TX OCTETS: 0d
008 TX OCTETS: 48
009 TX OCTETS: 65
010 TX OCTETS: 6c
011 TX OCTETS: 6c
012 TX OCTETS: 6f
013 TX OCTETS: 2c
014 TX OCTETS: 20
015 TX OCTETS: 77
016 TX OCTETS: 6f
017 TX OCTETS: 72
018 TX OCTETS: 6c
019 TX OCTETS: 64
020 TX OCTETS: 21
021 TX OCTETS: c1
022 TX OCTETS: 0d
023 TX OCTETS: 48
024 TX OCTETS: 65
025 TX OCTETS: 6c
026 TX OCTETS: 6c
027 TX OCTETS: 6f
028 TX OCTETS: 2c
029 TX OCTETS: 20
030 TX OCTETS: 77
031 TX OCTETS: 6f
032 TX OCTETS: 72
033 RX OCTETS: 818d0e39aed9465cc2b561158eae614bc2bd2f
034 RX FRAME : OPCODE=1, FIN=True, RSV=0, PAYLOAD-LEN=13, MASKED=True, MASK=3065333961656439
               Hello, world!
035 TX OCTETS: 6c
036 TX OCTETS: 64
037 TX OCTETS: 21
038 TX OCTETS: 89
039 TX OCTETS: 00
040 RX OCTETS: 88822f5615012cbc
041 RX FRAME : OPCODE=8, FIN=True, RSV=0, PAYLOAD-LEN=2, MASKED=True, MASK=3266353631353031
               0x03ea
042 TX FRAME : OPCODE=8, FIN=True, RSV=0, PAYLOAD-LEN=2, MASK=None, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=None, SYNC=False
               0x03e8
043 TX OCTETS: 880203e8
044 TCP DROPPED BY ME`

// parseHTML parses a page, failing the test when it does not parse.
func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	return doc
}

// textLines is the text a reader sees on a page (style and script left out),
// line by line, with blank lines dropped and line ends trimmed.
func textLines(t *testing.T, b []byte) []string {
	t.Helper()
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "style" || n.Data == "script" || n.Data == "title") {
			return
		}
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(parseHTML(t, b))
	var lines []string
	for _, l := range strings.Split(sb.String(), "\n") {
		if l = strings.TrimRight(l, " \r"); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// requireInOrder fails unless every line of want is one of got, in order.
func requireInOrder(t *testing.T, got []string, want []string) {
	t.Helper()
	i := 0
	for _, w := range want {
		j := slices.Index(got[i:], w)
		if j < 0 {
			t.Fatalf("line %q missing (or out of order) after %q", w, strings.Join(got[max(0, i-3):i], " | "))
		}
		i += j + 1
	}
}

func TestCasePageShowsSeedSectionsAndLines(t *testing.T) {
	b, err := CasePageHTML(seedResult(t))
	if err != nil {
		t.Fatal(err)
	}
	requireInOrder(t, textLines(t, b), strings.Split(seedLines, "\n"))
	for _, class := range []string{`class="banner case_ok"`, `class="wl-tx-frame-sync"`, `class="wl-rx-frame"`,
		`class="wl-timer"`, `class="wl-tx-frame"`, `class="wl-dropped-by-me"`} {
		if !bytes.Contains(b, []byte(class)) {
			t.Errorf("page lacks %s", class)
		}
	}
}

func TestCasePageVerdictBanner(t *testing.T) {
	for _, tc := range []struct{ behavior, class, text string }{
		{"OK", "case_ok", "Pass"},
		{"NON-STRICT", "case_non_strict", "Non-Strict"},
		{"INFORMATIONAL", "case_info", "Informational"},
		{"FAILED", "case_failed", "Fail"},
		{"UNIMPLEMENTED", "case_failed", "Fail"},
	} {
		r := seedResult(t)
		r.Behavior = Verdict(tc.behavior)
		b, err := CasePageHTML(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`class="banner `+tc.class+`"`)) {
			t.Errorf("%s: banner class is not %s", tc.behavior, tc.class)
		}
		requireInOrder(t, textLines(t, b), []string{"Mint - Case 3.4 : " + tc.text + " - 16 ms @ 2022-02-27T20:32:12.295Z"})
	}
}

func TestCasePageDisabledStatsAndWirelog(t *testing.T) {
	r := seedResult(t)
	r.CreateStats, r.CreateWirelog = false, false
	r.Wirelog = []WireEntry{WireEntry(wirelog.ModeEntry(false))}
	r.DroppedByMe = false
	b, err := CasePageHTML(r)
	if err != nil {
		t.Fatal(err)
	}
	lines := textLines(t, b)
	requireInOrder(t, lines, []string{"Wire Statistics", "Statistics for octets/frames disabled!", "Wire Log",
		"Wire log after handshake disabled!", "000 WIRELOG DISABLED", "001 TCP DROPPED BY PEER"})
	if slices.Contains(lines, "Octets Received by Chop Size") {
		t.Error("statistics tables shown although createStats is false")
	}
}

func TestCasePageCutsLongEventLists(t *testing.T) {
	r := seedResult(t)
	r.Received = nil
	for range 100 {
		r.Received = append(r.Received, Event{Kind: "message", Payload: []byte("Hello, world!")})
	}
	b, err := CasePageHTML(r)
	if err != nil {
		t.Fatal(err)
	}
	lines := textLines(t, b)
	i := slices.Index(lines, "Observed:")
	if i < 0 || i+1 == len(lines) {
		t.Fatal("no Observed: section")
	}
	if got := lines[i+1]; len(got) != pickleLimit || !strings.HasSuffix(got, " ...") ||
		!strings.HasPrefix(got, "[('message', u'Hello, world!', False), ") {
		t.Errorf("observed events shown as %d chars %q...", len(got), got[:min(60, len(got))])
	}
}

func TestCasePageRejectsBadInput(t *testing.T) {
	if _, err := CasePageHTML(nil); err == nil {
		t.Error("nil result accepted")
	}
	r := seedResult(t)
	r.Wirelog = append(r.Wirelog, WireEntry{Kind: "XX"})
	if _, err := CasePageHTML(r); err == nil || !strings.Contains(err.Error(), `"XX"`) {
		t.Errorf("unknown wire log kind: err = %v", err)
	}
	r = seedResult(t)
	r.Received = []Event{{Kind: "bogus"}}
	if _, err := CasePageHTML(r); err == nil || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown event kind: err = %v", err)
	}
}

// hostileResult is a result whose peer put markup everywhere it could.
func hostileResult(t *testing.T) *Result {
	r := seedResult(t)
	script := []byte("<script>alert('payload')</script>")
	r.Agent = `<script>alert("agent")</script>`
	r.Received = []Event{{Kind: "message", Payload: script}}
	r.RemoteCloseReason = strp("<script>alert('reason')</script>")
	r.WasNotCleanReason = strp("peer said <b>no</b>")
	r.HTTPRequest = "GET / HTTP/1.1\r\nUser-Agent: <script>alert('header')</script>\r\n\r\n"
	r.Wirelog = append(r.Wirelog,
		WireEntry(wirelog.RxOctetsEntry(script)),
		WireEntry(wirelog.RxFrameEntry(1, true, 0, nil, script)))
	return r
}

func TestCasePageEscapesPeerData(t *testing.T) {
	b, err := CasePageHTML(hostileResult(t))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ToLower(b), []byte("<script")) || bytes.Contains(b, []byte("<b>no")) {
		t.Fatalf("peer markup reached the page unescaped:\n%s", b)
	}
	requireInOrder(t, textLines(t, b), []string{
		`<script>alert("agent")</script> - Case 3.4 : Pass - 16 ms @ 2022-02-27T20:32:12.295Z`,
		`[('message', u"<script>alert('payload')</script>", False)]`,
		"User-Agent: <script>alert('header')</script>",
		"wasNotCleanReasonpeer said <b>no</b>If wasClean is False: what went wrong.",
		"remoteCloseReason<script>alert('reason')</script>The reason text in the peer's close frame, if it sent one.",
		"044 RX OCTETS: 3c7363726970743e616c65727428277061796c6f616427293c2f7363726970743e",
		"045 RX FRAME : OPCODE=1, FIN=True, RSV=0, PAYLOAD-LEN=33, MASKED=False, MASK=None",
		"               <script>alert('payload')</script>",
	})
}

func TestIndexEscapesPeerData(t *testing.T) {
	r := hostileResult(t)
	r.Description = "<i>described</i>"
	b, err := IndexHTML([]*Result{r})
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(bytes.ToLower(b), []byte("<script")); n != 1 {
		t.Errorf("index has %d script elements, want only its own", n)
	}
	if bytes.Contains(b, []byte("<i>described")) {
		t.Error("description markup reached the index unescaped")
	}
	lines := textLines(t, b)
	requireInOrder(t, lines, []string{`3 Reserved Bits<script>alert("agent")</script>`, "<i>described</i>"})
	if !bytes.Contains(b, []byte(`href="`+CaseFile(r.Agent, "3.4", "html")+`"`)) {
		t.Error("index does not link the case page by its cleaned file name")
	}
}

// cell is one td of the index results table.
type cell struct {
	class, text, href string
	span              bool
}

// resultRows returns the rows of the index results table as cells.
func resultRows(t *testing.T, b []byte) [][]cell {
	t.Helper()
	var table *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" && attr(n, "id") == "results" {
			table = n
		}
		for c := n.FirstChild; c != nil && table == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(parseHTML(t, b))
	if table == nil {
		t.Fatal("no results table")
	}
	var rows [][]cell
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" {
			var row []cell
			for td := n.FirstChild; td != nil; td = td.NextSibling {
				if td.Type == html.ElementNode && td.Data == "td" {
					c := cell{class: attr(td, "class"), text: nodeText(td), span: attr(td, "colspan") != ""}
					if a := firstElement(td, "a"); a != nil {
						c.href = attr(a, "href")
					}
					row = append(row, c)
				}
			}
			rows = append(rows, row)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(table)
	return rows
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var parts []string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "br" {
			parts = append(parts, " ")
		}
		parts = append(parts, nodeText(c))
	}
	return strings.Join(parts, "")
}

func firstElement(n *html.Node, tag string) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == tag {
			return c
		}
		if f := firstElement(c, tag); f != nil {
			return f
		}
	}
	return nil
}

// indexResult is a small result for the index tests.
func indexResult(agent, id, behavior, behaviorClose string, code *int) *Result {
	return &Result{Agent: agent, ID: id, Behavior: Verdict(behavior), BehaviorClose: Verdict(behaviorClose), RemoteCloseCode: code,
		Description: "Description of " + id + ".", Expectation: "Expectation of " + id + ".", Duration: 7}
}

func TestIndexTable(t *testing.T) {
	timed := indexResult("beta", "9.1.1", "OK", "OK", intp(1000))
	timed.ReportTime, timed.Duration = true, 123
	ratioed := indexResult("beta", "12.1.1", "OK", "OK", intp(1000))
	ratioed.ReportTime, ratioed.Duration, ratioed.ReportCompressionRatio = true, 45, true
	ratioed.TrafficStats = &TrafficStats{IncomingCompressionRatio: func() *float64 { v := 0.4567; return &v }()}
	results := []*Result{
		indexResult("beta", "1.1.1", "OK", "OK", intp(1000)),
		indexResult("alpha", "1.1.1", "NON-STRICT", "WRONG CODE", intp(1002)),
		indexResult("alpha", "1.2.1", "FAILED", "UNCLEAN", nil),
		indexResult("beta", "1.2.1", "INFORMATIONAL", "INFORMATIONAL", nil),
		indexResult("alpha", "2.10", "OK", "FAILED BY CLIENT", intp(1000)),
		indexResult("alpha", "2.9", "OK", "FAILED", intp(1000)),
		indexResult("beta", "2.9", "UNIMPLEMENTED", "UNIMPLEMENTED", nil),
		timed, ratioed,
	}
	b, err := IndexHTML(results)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]cell{
		{{class: "category", text: "1 Framing"}, {class: "agent wide", text: "alpha", span: true}, {class: "agent wide", text: "beta", span: true}},
		{{class: "subcategory full", text: "1.1 Text Messages", span: true}},
		{{class: "case-id", text: "Case 1.1.1", href: "#case_desc_1_1_1"},
			{class: "case_non_strict", text: "Non-Strict fails: behaviorClose WRONG CODE", href: "alpha_case_1_1_1.html"}, {class: "close case_non_strict", text: "WRONG CODE 1002"},
			{class: "case_ok", text: "Pass", href: "beta_case_1_1_1.html"}, {class: "close case_ok", text: "1000"}},
		{{class: "category", text: "1 Framing"}, {class: "agent wide", text: "alpha", span: true}, {class: "agent wide", text: "beta", span: true}},
		{{class: "subcategory full", text: "1.2 Binary Messages", span: true}},
		{{class: "case-id", text: "Case 1.2.1", href: "#case_desc_1_2_1"},
			{class: "case_failed", text: "Fail", href: "alpha_case_1_2_1.html"}, {class: "close case_failed", text: "Unclean"},
			{class: "case_info", text: "Info", href: "beta_case_1_2_1.html"}, {class: "close case_info", text: "None"}},
		{{class: "category", text: "2 Pings/Pongs"}, {class: "agent wide", text: "alpha", span: true}, {class: "agent wide", text: "beta", span: true}},
		{{class: "case-id", text: "Case 2.9", href: "#case_desc_2_9"},
			{class: "case_ok", text: "Pass fails: behaviorClose FAILED", href: "alpha_case_2_9.html"}, {class: "close case_failed", text: "Fail"},
			{class: "case_unimplemented wide", text: "Unimplemented", span: true}},
		{{class: "case-id", text: "Case 2.10", href: "#case_desc_2_10"},
			{class: "case_ok", text: "Pass fails: behaviorClose FAILED BY CLIENT", href: "alpha_case_2_10.html"}, {class: "close case_almost", text: "FAILED BY CLIENT 1000"},
			{class: "case_missing wide", text: "Missing", span: true}},
		{{class: "category", text: "9 Limits/Performance"}, {class: "agent wide", text: "alpha", span: true}, {class: "agent wide", text: "beta", span: true}},
		{{class: "subcategory full", text: "9.1 Text Message (increasing size)", span: true}},
		{{class: "case-id", text: "Case 9.1.1", href: "#case_desc_9_1_1"},
			{class: "case_missing wide", text: "Missing", span: true},
			{class: "case_ok", text: "Pass 123 ms", href: "beta_case_9_1_1.html"}, {class: "close case_ok", text: "1000"}},
		{{class: "category", text: "12 WebSocket Compression (different payloads)"}, {class: "agent wide", text: "alpha", span: true}, {class: "agent wide", text: "beta", span: true}},
		{{class: "subcategory full", text: "12.1 Large JSON data file (utf8, 194056 bytes)", span: true}},
		{{class: "case-id", text: "Case 12.1.1", href: "#case_desc_12_1_1"},
			{class: "case_missing wide", text: "Missing", span: true},
			{class: "case_ok", text: "Pass 45 ms [0.457/-]", href: "beta_case_12_1_1.html"}, {class: "close case_ok", text: "1000"}},
	}
	got := resultRows(t, b)
	if len(got) != len(want) {
		t.Fatalf("index has %d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	if !bytes.Contains(b, []byte(`colspan="5"`)) {
		t.Error("subcategory rows do not span the 5 columns of two agents")
	}
	lines := textLines(t, b)
	for _, legend := range []string{`<td class="case_ok">Pass</td>`, `<td class="case_non_strict">Non-Strict</td>`,
		`<td class="case_failed">Fail</td>`, `<td class="case_info">Info</td>`, `<td class="case_missing">Missing</td>`} {
		if !bytes.Contains(b, []byte(legend)) {
			t.Errorf("legend lacks %s", legend)
		}
	}
	requireInOrder(t, lines, []string{"Toggle Details", "Case 1.1.1", "Case Description", "Description of 1.1.1.", "Case Expectation", "Expectation of 1.1.1.",
		"Case 12.1.1", "Description of 12.1.1."})
	intro := regexp.MustCompile(`^Summary report generated on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(UTC\) by .*v0\.8\.2/v0\.10\.9\.$`)
	if !slices.ContainsFunc(lines, intro.MatchString) {
		t.Error("no intro line with the generation time")
	}
	if !bytes.Contains(b, []byte(`id="case_desc_12_1_1"`)) {
		t.Error("no anchor for the description of 12.1.1")
	}
}

func TestIndexRejectsNilResult(t *testing.T) {
	if _, err := IndexHTML([]*Result{nil}); err == nil {
		t.Error("nil result accepted")
	}
}

func TestWriteWritesHTMLAndJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	a, b := seedResult(t), seedResult(t)
	b.Agent, b.ID = "Other Agent", "3.5"
	if err := Write(dir, []*Result{a, b}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"index.html", "index.json", "mint_case_3_4.html", "mint_case_3_4.json",
		"other_agent_case_3_5.html", "other_agent_case_3_5.json"}
	if !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	page, err := os.ReadFile(filepath.Join(dir, "mint_case_3_4.html"))
	if err != nil {
		t.Fatal(err)
	}
	direct, err := CasePageHTML(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page, direct) {
		t.Error("written case page differs from CasePageHTML")
	}
}

func TestWriteLeavesNoIndexWhenHTMLFails(t *testing.T) {
	dir := t.TempDir()
	r := seedResult(t)
	r.Wirelog = append(r.Wirelog, WireEntry{Kind: "XX"})
	if err := Write(dir, []*Result{r}); err == nil {
		t.Fatal("Write succeeded with a bad wire log")
	}
	for _, name := range []string{"index.json", "index.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed write", name)
		}
	}
}
