package cases

import (
	"encoding/hex"
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/utf8stream"
)

// 6.x UTF-8 handling: text messages whose payload is valid or invalid UTF-8,
// whole, fragmented at code point boundaries or inside them, and a peer that
// must fail as soon as the payload can no longer be valid (6.4).

// peerFailsUTF8: the peer must fail the connection with 1007; if the fuzzer
// has to close instead, the case fails.
var peerFailsUTF8 = ExpectedClose{ClosedByMe: false, Codes: []int{frame.CloseInvalidPayload}, WrongEndpointIsFatal: true}

const (
	// kosme is "κόσμε", valid UTF-8 with multi-octet code points.
	kosme = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"
	// helloUTF8 is a text with two-octet code points.
	helloUTF8 = "Hello-µ@ßöäüàá-UTF-8!!"
	// surrogateEdited is kosme, a UTF-16 surrogate (invalid at its second
	// octet, payload octet 12) and "edited".
	surrogateEdited = kosme + "\xed\xa0\x80" + "edited"
	// outOfRangeEdited is kosme, the encoding of U+110000 (invalid at its
	// second octet, payload octet 12) and "edited".
	outOfRangeEdited = kosme + "\xf4\x90\x80\x80" + "edited"
)

// Streaming steps (6.4.3, 6.4.4): a frame header announcing the whole length,
// then the payload in pieces.
func beginTextMessage() Step  { return Step{Action: BeginMessage} }
func beginFrame(n int) Step   { return Step{Action: BeginFrame, Length: n} }
func frameData(p string) Step { return Step{Action: FrameData, Payload: []byte(p)} }
func endMessage() Step        { return Step{Action: EndMessage} }

func init() {
	register(utf8Basics()...)
	register(utf8FailFast()...)
	register(utf8Generated()...)
}

// utf8Basics are 6.1-6.3: empty text messages, valid UTF-8 whole and
// fragmented, and invalid UTF-8 whole and fragmented.
func utf8Basics() []*Case {
	const middle = "middle frame payload"
	textFrag := func(fin bool, p string) Step { return raw(frame.OpText, fin, 0, p) }
	cont := func(fin bool, p string) Step { return raw(frame.OpContinuation, fin, 0, p) }
	echoed := "The message is echoed unchanged; then a clean close with 1000."
	failed := "The peer fails the connection (1007): the payload is not valid UTF-8."
	return []*Case{
		{ID: "6.1.1", Description: "Send a text message with an empty payload.",
			Expectation: echoed,
			Steps:       steps(text(""), closeAfter(1)), Expected: ok(msgText("")), Close: fuzzerClosesClean},
		{ID: "6.1.2", Description: "Send a text message in three fragments, all empty.",
			Expectation: "An empty text message is echoed; then a clean close with 1000.",
			Steps:       steps(textFrag(false, ""), cont(false, ""), cont(true, ""), closeAfter(1)),
			Expected:    ok(msgText("")), Close: fuzzerClosesClean},
		{ID: "6.1.3", Description: "Send a text message in three fragments: empty, with a payload, empty.",
			Expectation: "The middle payload is echoed as one message; then a clean close with 1000.",
			Steps:       steps(textFrag(false, ""), cont(false, middle), cont(true, ""), closeAfter(1)),
			Expected:    ok(msgText(middle)), Close: fuzzerClosesClean},
		{ID: "6.2.1", Description: "Send a valid UTF-8 text message with two-octet code points in one frame.",
			Expectation: echoed,
			Steps:       steps(message(false, helloUTF8, 0), closeAfter(1)), Expected: ok(msgText(helloUTF8)), Close: fuzzerClosesClean},
		{ID: "6.2.2", Description: "Send a valid UTF-8 text message in two fragments, split at a code point boundary.",
			Expectation: echoed,
			Steps:       steps(textFrag(false, helloUTF8[:15]), cont(true, helloUTF8[15:]), closeAfter(1)),
			Expected:    ok(msgText(helloUTF8)), Close: fuzzerClosesClean},
		{ID: "6.2.3", Description: "Send a valid UTF-8 text message in fragments of one octet, splitting code points.",
			Expectation: echoed,
			Steps:       steps(message(false, helloUTF8, 1), closeAfter(1)), Expected: ok(msgText(helloUTF8)), Close: fuzzerClosesClean},
		{ID: "6.2.4", Description: "Send a valid UTF-8 text message of three-octet code points in fragments of one octet.",
			Expectation: echoed,
			Steps:       steps(message(false, kosme, 1), closeAfter(1)), Expected: ok(msgText(kosme)), Close: fuzzerClosesClean},
		{ID: "6.3.1", Description: "Send a text message that is invalid UTF-8 (a UTF-16 surrogate in the middle), in one frame.",
			Expectation: failed,
			Steps:       steps(message(false, surrogateEdited, 0), killAfter(1)), Expected: ok(), Close: peerFailsUTF8},
		{ID: "6.3.2", Description: "Send a text message that is invalid UTF-8 (a UTF-16 surrogate in the middle), in fragments of one octet.",
			Expectation: failed,
			Steps:       steps(message(false, surrogateEdited, 1), killAfter(1)), Expected: ok(), Close: peerFailsUTF8},
	}
}

// utf8FailFast are 6.4: a text message that turns invalid in its second part,
// sent in three parts with a pause of one second after the first and the
// second. A peer that fails during the second pause (right after the octet
// that makes the payload invalid) passes; one that fails only at the end of
// the message is NON-STRICT; one that fails during the first pause, on valid
// input, fails.
func utf8FailFast() []*Case {
	p := outOfRangeEdited
	parts := []struct{ a, b, c string }{
		{p[:11], p[11:15], p[15:]}, // at code point boundaries
		{p[:12], p[12:13], p[13:]}, // inside the invalid code point
	}
	outcome := okOrNonStrict([]Event{timeout("A")}, []Event{timeout("A"), timeout("B")})
	expectation := "The peer fails the connection (1007) after the second part, during the second pause; failing only at the end of the message is NON-STRICT."
	var out []*Case
	for i, pt := range parts {
		frames := steps(raw(frame.OpText, false, 0, pt.a), waitOpen(1, "A"),
			raw(frame.OpContinuation, false, 0, pt.b), waitOpen(1, "B"),
			raw(frame.OpContinuation, true, 0, pt.c), killAfter(1))
		stream := steps(beginTextMessage(), beginFrame(len(p)), frameData(pt.a), waitOpen(1, "A"),
			frameData(pt.b), waitOpen(1, "B"), frameData(pt.c), endMessage(), killAfter(1))
		out = append(out,
			&Case{ID: fmt.Sprintf("6.4.%d", i+1),
				Description: fmt.Sprintf("Send a text message in three frames, 0x%s, 0x%s and 0x%s, pausing one second after the first and the second; the second makes the payload invalid UTF-8 (U+110000).",
					hex.EncodeToString([]byte(pt.a)), hex.EncodeToString([]byte(pt.b)), hex.EncodeToString([]byte(pt.c))),
				Expectation: expectation, Steps: frames, Expected: outcome, Close: peerFailsUTF8},
			&Case{ID: fmt.Sprintf("6.4.%d", i+3),
				Description: fmt.Sprintf("Send a text message as one frame whose header announces %d octets, its payload written in three pieces, 0x%s, 0x%s and 0x%s, pausing one second after the first and the second; the second makes the payload invalid UTF-8 (U+110000).",
					len(p), hex.EncodeToString([]byte(pt.a)), hex.EncodeToString([]byte(pt.b)), hex.EncodeToString([]byte(pt.c))),
				Expectation: expectation, Steps: stream, Expected: outcome, Close: peerFailsUTF8},
		)
	}
	return out
}

// utf8Family is one subcategory of generated UTF-8 cases: what its payloads
// test, and the payloads in case order.
type utf8Family struct {
	about    string
	payloads []string
}

// utf8Families are the payloads of 6.5-6.23, in order, after Markus Kuhn's
// UTF-8 decoder stress test as the real fuzzer uses it.
func utf8Families() []utf8Family {
	// 6.6: every prefix of kosme.
	var prefixes []string
	for i := 1; i <= len(kosme); i++ {
		prefixes = append(prefixes, kosme[:i])
	}
	// 6.12.8: the continuation octets 0x80-0xbe.
	var conts []byte
	for b := 0x80; b < 0xbf; b++ {
		conts = append(conts, byte(b))
	}
	// 6.13: each start octet of a range followed by a space.
	var lonely []string
	for _, r := range [][2]int{{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}} {
		var s []byte
		for b := r[0]; b < r[1]; b++ {
			s = append(s, byte(b), ' ')
		}
		lonely = append(lonely, string(s))
	}
	truncated := []string{"\xc0", "\xe0\x80", "\xf0\x80\x80", "\xf8\x80\x80\x80", "\xfc\x80\x80\x80\x80",
		"\xdf", "\xef\xbf", "\xf7\xbf\xbf", "\xfb\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf"}
	var concat string
	for _, s := range truncated {
		concat += s
	}
	// 6.22: non-characters, U+FFFE and U+FFFF, then U+nFFFE and U+nFFFF of
	// every supplementary plane.
	nonChars := []string{"\xef\xbf\xbe", "\xef\xbf\xbf"}
	for lead := byte(0xf0); lead <= 0xf4; lead++ {
		for _, second := range []byte{0x8f, 0x9f, 0xaf, 0xbf} {
			if lead == 0xf4 && second != 0x8f || lead == 0xf0 && second == 0x8f {
				continue // above U+10FFFF, or overlong
			}
			for _, last := range []byte{0xbe, 0xbf} {
				nonChars = append(nonChars, string([]byte{lead, second, 0xbf, last}))
			}
		}
	}
	var surrogatePairs []string
	for _, hi := range []string{"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf"} {
		for _, lo := range []string{"\xed\xb0\x80", "\xed\xbf\xbf"} {
			surrogatePairs = append(surrogatePairs, hi+lo)
		}
	}
	return []utf8Family{
		{"valid UTF-8 text with code points of one to four octets",
			[]string{"hello$world", "hello\xc2\xa2world", "hello\xe2\x82\xacworld", "hello\xf0\xa4\xad\xa2world", kosme}},
		{"every prefix of a valid UTF-8 text with multi-octet code points", prefixes},
		{"the first code point of each encoded length", []string{"\x00", "\xc2\x80", "\xe0\xa0\x80", "\xf0\x90\x80\x80"}},
		{"five- and six-octet forms of the first code points past four octets", []string{"\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80"}},
		{"the last code point of each encoded length", []string{"\x7f", "\xdf\xbf", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf"}},
		{"the last forms of four, five and six octets, beyond Unicode", []string{"\xf7\xbf\xbf\xbf", "\xfb\xbf\xbf\xbf\xbf", "\xfd\xbf\xbf\xbf\xbf\xbf"}},
		{"code points at other boundaries", []string{"\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80"}},
		{"continuation octets without a lead octet",
			[]string{"\x80", "\xbf", "\x80\xbf", "\x80\xbf\x80", "\x80\xbf\x80\xbf", "\x80\xbf\x80\xbf\x80", "\x80\xbf\x80\xbf\x80\xbf", string(conts)}},
		{"lead octets each followed by a space", lonely},
		{"sequences missing their last continuation octet", truncated},
		{"all sequences missing their last continuation octet, concatenated", []string{concat}},
		{"octets that never appear in UTF-8", []string{"\xfe", "\xff", "\xfe\xfe\xff\xff"}},
		{"overlong forms of an ASCII character", []string{"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xf8\x80\x80\x80\xaf", "\xfc\x80\x80\x80\x80\xaf"}},
		{"the largest overlong form of each length", []string{"\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xf8\x87\xbf\xbf\xbf", "\xfc\x83\xbf\xbf\xbf\xbf"}},
		{"overlong forms of NUL", []string{"\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf8\x80\x80\x80\x80", "\xfc\x80\x80\x80\x80\x80"}},
		{"single UTF-16 surrogates",
			[]string{"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xae\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbe\x80", "\xed\xbf\xbf"}},
		{"paired UTF-16 surrogates", surrogatePairs},
		{"non-characters, which are valid UTF-8", nonChars},
		{"the Unicode specials block", []string{"\xef\xbf\xb9", "\xef\xbf\xba", "\xef\xbf\xbb", "\xef\xbf\xbc", "\xef\xbf\xbd", "\xef\xbf\xbe", "\xef\xbf\xbf"}},
	}
}

// utf8Generated are 6.5-6.23: one unfragmented text message per payload.
// Whether a payload is valid is what the fuzzer's own validator says of the
// whole message (so a prefix ending inside a code point is invalid).
func utf8Generated() []*Case {
	var out []*Case
	for i, fam := range utf8Families() {
		for j, p := range fam.payloads {
			c := &Case{
				ID:    fmt.Sprintf("6.%d.%d", i+5, j+1),
				Steps: steps(message(false, p, 0), killAfter(0.5)),
			}
			if utf8stream.Valid([]byte(p)) {
				c.Description = fmt.Sprintf("Send a text message, in one frame, whose payload is valid UTF-8 (%s): 0x%s.", fam.about, hex.EncodeToString([]byte(p)))
				c.Expectation = "The message is echoed unchanged; then a clean close with 1000."
				c.Expected, c.Close = ok(msgText(p)), fuzzerClosesClean
			} else {
				c.Description = fmt.Sprintf("Send a text message, in one frame, whose payload is not valid UTF-8 (%s): 0x%s.", fam.about, hex.EncodeToString([]byte(p)))
				c.Expectation = "The peer fails the connection (1007) without echoing the message."
				c.Expected, c.Close = ok(), peerFailsUTF8
			}
			out = append(out, c)
		}
	}
	return out
}
