package cases

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// 9.x Limits and performance: large messages whole, fragmented and chopped
// (9.1-9.6), judged on one echo of the right type and length, and round trips
// of many small messages one at a time (9.7, 9.8). Content is not compared,
// as by the real fuzzer.

const (
	textPattern   = "BAsd7&jh23"
	binaryPattern = "\x00\xfe\x23\xfa\xf0"
	// roundTrips is how many messages 9.7 and 9.8 send.
	roundTrips = 1000
)

// Result texts for an echo of the wrong type, in the real fuzzer's wording:
// 9.4's says "binary" where it means "text".
const (
	gotBinary        = "Expected text message with payload, but got binary."
	gotText          = "Expected binary message with payload, but got text."
	gotBinaryQuirked = "Expected binary message with payload, but got binary."
)

// echoFamily is one subcategory of 9.1-9.6: the message type, the result
// text for an echo of the wrong type, and one variant per case.
type echoFamily struct {
	sub      int
	binary   bool
	wrong    string
	variants []echoVariant
}

// echoVariant is one case of an echo family: a message of size octets filled
// with pattern, sent in one frame, in fragments of frag octets, or in one
// frame written in chops of chop octets; the fuzzer closes after wait seconds.
type echoVariant struct {
	pattern    string
	size       int
	wait       float64
	frag, chop int
}

var (
	bigSizes = []int{64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20}
	frags    = []int{64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20}
	chops    = []int{64, 128, 256, 512, 1024, 2048}
)

// Where the real fuzzer's descriptions name other sizes than it sends (16 MiB
// for 9.2.5, 8 MiB for 9.3.9), the sizes here are the ones sent, and so are
// our descriptions.
var echoFamilies = []echoFamily{
	{1, false, gotBinary, bySize(textPattern, bigSizes, []float64{10, 10, 100, 100, 100, 100})},
	{2, true, gotText, bySize(binaryPattern, bigSizes, []float64{10, 10, 10, 10, 100, 100})},
	{3, false, gotBinary, byFrag("*", frags)},
	// 9.4.1 fills its message with 0xfe, the others with "*".
	{4, true, gotBinaryQuirked, append(byFrag("\xfe", frags[:1]), byFrag("*", frags[1:])...)},
	{5, false, gotBinary, byChop(textPattern, chops)},
	{6, true, gotText, byChop(binaryPattern, chops)},
}

// bySize are one-frame messages of growing size.
func bySize(pattern string, sizes []int, waits []float64) []echoVariant {
	var out []echoVariant
	for i, n := range sizes {
		out = append(out, echoVariant{pattern: pattern, size: n, wait: waits[i]})
	}
	return out
}

// byFrag are 4 MiB messages in fragments of growing size.
func byFrag(pattern string, frags []int) []echoVariant {
	var out []echoVariant
	for _, f := range frags {
		out = append(out, echoVariant{pattern: pattern, size: 4 << 20, wait: 100, frag: f})
	}
	return out
}

// byChop are 1 MiB one-frame messages written in chops of growing size.
func byChop(pattern string, chops []int) []echoVariant {
	var out []echoVariant
	for _, c := range chops {
		out = append(out, echoVariant{pattern: pattern, size: 1 << 20, wait: 1000, chop: c})
	}
	return out
}

func init() {
	for _, f := range echoFamilies {
		register(f.cases()...)
	}
	register(roundTripCases()...)
}

func (f echoFamily) cases() []*Case {
	op, kind := frame.OpText, "text"
	if f.binary {
		op, kind = frame.OpBinary, "binary"
	}
	var out []*Case
	for i, v := range f.variants {
		send := repeated(op, v.pattern, v.size).chopped(v.chop)
		desc := fmt.Sprintf("Send a %s message of %s", kind, octets(v.size))
		switch {
		case v.frag > 0:
			send = message(f.binary, v.pattern, v.frag)
			send.RepeatLen = intp(v.size)
			desc += fmt.Sprintf(" in fragments of %s.", octets(v.frag))
		case v.chop > 0:
			desc += fmt.Sprintf(", written in chops of %d octets.", v.chop)
		default:
			desc += "."
		}
		out = append(out, &Case{
			ID:          fmt.Sprintf("9.%d.%d", f.sub, i+1),
			Description: desc,
			Expectation: fmt.Sprintf("The %s message comes back with the same length within %g seconds; then a clean close with 1000. Only type and length are checked.", kind, v.wait),
			Steps:       steps(send, closeAfter(v.wait)),
			Close:       fuzzerClosesClean,
			Echo:        &Echo{Binary: f.binary, Length: v.size, Wait: seconds(v.wait), WrongType: f.wrong},
		})
	}
	return out
}

// roundTripSizes are the message sizes of 9.7 and 9.8 with the time the
// whole case may take, in seconds.
var roundTripSizes = []struct {
	size int
	wait float64
}{{0, 60}, {16, 60}, {64, 60}, {256, 120}, {1024, 240}, {4096, 480}}

func roundTripCases() []*Case {
	var out []*Case
	for _, fam := range []struct {
		sub    int
		binary bool
		kind   string
	}{{7, false, "text"}, {8, true, "binary"}} {
		for i, s := range roundTripSizes {
			out = append(out, &Case{
				ID:          fmt.Sprintf("9.%d.%d", fam.sub, i+1),
				Description: fmt.Sprintf("Send %d %s messages of %d octets one at a time, each once the previous one came back, to measure the round-trip time.", roundTrips, fam.kind, s.size),
				Expectation: fmt.Sprintf("Every message comes back with the same type and length, all within %g seconds; then a clean close with 1000.", s.wait),
				Close:       fuzzerClosesClean,
				RoundTrip:   &RoundTrip{Binary: fam.binary, Length: s.size, Count: roundTrips, Wait: seconds(s.wait)},
			})
		}
	}
	return out
}

// octets renders a size in KiB or MiB when it is a whole number of them.
func octets(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d octets", n)
}
