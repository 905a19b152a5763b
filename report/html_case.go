package report

import (
	"fmt"
	"slices"
	"strings"
)

// casePage is what the case page template shows: the fields of one Result,
// already formatted as the real fuzzer formats them.
type casePage struct {
	Agent         string
	ID            string
	Connection    string
	VerdictClass  string
	VerdictText   string
	Duration      int64
	Started       string
	Description   string
	Expectation   string
	Result        string
	Expected      string
	Observed      string
	ResultClose   string
	BehaviorClose Verdict
	HTTPRequest   string
	HTTPResponse  string
	Closing       []closingRow
	CreateStats   bool
	OctetTables   []octetTable
	FrameTables   []frameTable
	CreateWirelog bool
	Wirelog       []logLine
}

// closingRow is one row of the closing behaviour table.
type closingRow struct{ Key, Value, Description string }

// octetTable counts the reads or writes of one direction by size.
type octetTable struct {
	Direction   string
	Rows        []octetRow
	TotalCount  int
	TotalOctets int
}

// octetRow is one chop size: how many reads or writes had it, and their
// octets.
type octetRow struct{ Size, Count, Octets int }

// frameTable counts the frames of one direction by opcode.
type frameTable struct {
	Direction string
	Rows      []frameRow
	Total     int
}

// frameRow is one opcode and its frame count.
type frameRow struct{ Opcode, Count int }

// caseVerdict is the class and text of the verdict a case page shows; an
// UNIMPLEMENTED case shows as Fail, as in the real fuzzer.
func caseVerdict(behavior Verdict) (class, text string) {
	switch behavior {
	case OK:
		return "case_ok", "Pass"
	case NonStrict:
		return "case_non_strict", "Non-Strict"
	case Informational:
		return "case_info", "Informational"
	}
	return "case_failed", "Fail"
}

// connectionText shows a URL scheme as "ws://" or "wss:// (TLS)"; "" when
// the scheme is unknown.
func connectionText(scheme string) string {
	switch scheme {
	case "":
		return ""
	case "wss":
		return "wss:// (TLS)"
	}
	return scheme + "://"
}

// httpTrim trims the ASCII whitespace Python's str.strip removes.
func httpTrim(s string) string { return strings.Trim(s, " \t\n\r\v\f") }

// newCasePage formats r for its case page.
func newCasePage(r *Result) (*casePage, error) {
	expected, err := expectedRepr(r.Expected)
	if err != nil {
		return nil, err
	}
	observed, err := eventsRepr(r.Received)
	if err != nil {
		return nil, fmt.Errorf("received: %w", err)
	}
	wl, err := wirelogLines(r)
	if err != nil {
		return nil, err
	}
	p := &casePage{
		Agent: r.Agent, ID: r.ID, Connection: connectionText(r.Scheme), Duration: r.Duration, Started: r.Started,
		Description: r.Description, Expectation: r.Expectation,
		Result: r.Result, Expected: limitText(expected, pickleLimit), Observed: limitText(observed, pickleLimit),
		ResultClose: r.ResultClose, BehaviorClose: r.BehaviorClose,
		HTTPRequest: httpTrim(r.HTTPRequest), HTTPResponse: httpTrim(r.HTTPResponse),
		Closing:     closingRows(r),
		CreateStats: r.CreateStats, CreateWirelog: r.CreateWirelog, Wirelog: wl,
	}
	p.VerdictClass, p.VerdictText = caseVerdict(r.Behavior)
	if r.CreateStats {
		p.OctetTables = []octetTable{newOctetTable("Received", r.RxOctetStats), newOctetTable("Transmitted", r.TxOctetStats)}
		p.FrameTables = []frameTable{newFrameTable("Received", r.RxFrameStats), newFrameTable("Transmitted", r.TxFrameStats)}
	}
	return p, nil
}

// closingRows is the closing behaviour table: each key, its value as Python
// prints it, and what it means (in our words; the keys and values are the
// real fuzzer's).
func closingRows(r *Result) []closingRow {
	return []closingRow{
		{"isServer", pyBool(r.IsServer), "True when the fuzzer played the server and the implementation under test was the client."},
		{"closedByMe", pyBool(r.ClosedByMe), "True when the fuzzer sent the first close frame, starting the closing handshake itself."},
		{"failedByMe", pyBool(r.FailedByMe), "True when the fuzzer gave up on the connection over a protocol violation, by starting the closing handshake or by cutting the TCP connection."},
		{"droppedByMe", pyBool(r.DroppedByMe), "True when the fuzzer was the side that cut the TCP connection."},
		{"wasClean", pyBool(r.WasClean), "True when close frames went both ways and then the server, whose job it is, closed the TCP connection."},
		{"wasNotCleanReason", pyOptStr(r.WasNotCleanReason), "If wasClean is False: what went wrong."},
		{"wasServerConnectionDropTimeout", pyBool(r.WasServerConnectionDropTimeout), "True when the fuzzer, as the client, waited for the server to close the TCP connection and gave up waiting."},
		{"wasOpenHandshakeTimeout", pyBool(r.WasOpenHandshakeTimeout), "True when the peer did not complete the opening handshake within the time allowed."},
		{"wasCloseHandshakeTimeout", pyBool(r.WasCloseHandshakeTimeout), "True when the fuzzer started the closing handshake and the peer's close frame did not come within the time allowed."},
		{"localCloseCode", pyOptInt(r.LocalCloseCode), "The status code in the fuzzer's close frame, if it sent one."},
		{"localCloseReason", pyOptStr(r.LocalCloseReason), "The reason text in the fuzzer's close frame, if it sent one."},
		{"remoteCloseCode", pyOptInt(r.RemoteCloseCode), "The status code in the peer's close frame, if it sent one."},
		{"remoteCloseReason", pyOptStr(r.RemoteCloseReason), "The reason text in the peer's close frame, if it sent one."},
	}
}

// sortedSizes returns the keys of s in increasing order.
func sortedSizes(s Stats) []int {
	keys := make([]int, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// newOctetTable tabulates octet statistics by chop size, with totals.
func newOctetTable(direction string, s Stats) octetTable {
	t := octetTable{Direction: direction}
	for _, size := range sortedSizes(s) {
		t.Rows = append(t.Rows, octetRow{Size: size, Count: s[size], Octets: size * s[size]})
		t.TotalCount += s[size]
		t.TotalOctets += size * s[size]
	}
	return t
}

// newFrameTable tabulates frame statistics by opcode, with the total.
func newFrameTable(direction string, s Stats) frameTable {
	t := frameTable{Direction: direction}
	for _, op := range sortedSizes(s) {
		t.Rows = append(t.Rows, frameRow{Opcode: op, Count: s[op]})
		t.Total += s[op]
	}
	return t
}
