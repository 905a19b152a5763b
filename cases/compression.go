package cases

import (
	"fmt"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/internal/corpus"
)

// 12.x and 13.x: permessage-deflate, message streams from the data sets.

// messageSetting is one of the 18 sizes of a compression family: message
// length, case time limit in seconds, automatic fragment size.
type messageSetting struct {
	length, wait, autoFragment int
}

var messageSettings = []messageSetting{
	{16, 60, 0}, {64, 60, 0}, {256, 120, 0}, {1024, 240, 0}, {4096, 480, 0},
	{8192, 480, 0}, {16384, 480, 0}, {32768, 480, 0}, {65536, 480, 0}, {131072, 480, 0},
	{8192, 480, 256}, {16384, 480, 256}, {32768, 480, 256}, {65536, 480, 256}, {131072, 480, 256},
	{131072, 480, 1024}, {131072, 480, 4096}, {131072, 480, 32768},
}

// compressionCount is the number of messages of every compression case.
const compressionCount = 1000

// parameterSets are the requests of 13.1-13.7; 12.x uses the first.
var parameterSets = [][]DeflateRequest{
	{{false, 0}},
	{{true, 0}},
	{{false, 9}},
	{{false, 15}},
	{{true, 9}},
	{{true, 15}},
	{{true, 9}, {true, 0}, {false, 0}},
}

func init() {
	for j, c := range corpus.All() {
		registerCompression(fmt.Sprintf("12.%d", j+1), c, parameterSets[0])
	}
	for j, reqs := range parameterSets {
		registerCompression(fmt.Sprintf("13.%d", j+1), corpus.JSON, reqs)
	}
}

// registerCompression adds the 18 cases of one family.
func registerCompression(family string, data *corpus.Corpus, reqs []DeflateRequest) {
	unit, kind := "characters", "text"
	if data.Binary {
		unit, kind = "octets", "binary"
	}
	for i, s := range messageSettings {
		frag := "Messages are not fragmented."
		if s.autoFragment > 0 {
			frag = fmt.Sprintf("Each compressed message is sent in frames of %d octets.", s.autoFragment)
		}
		register(&Case{
			ID: fmt.Sprintf("%s.%d", family, i+1),
			Description: fmt.Sprintf("Send %d %s messages of %d %s each, cut in turn from a %s (%d octets) that the "+
				"fuzzer walks around, compressed with permessage-deflate; each is sent once the previous one came back. %s %s",
				compressionCount, kind, s.length, unit, data.Description, data.Size, frag, describeRequests(reqs)),
			Expectation: fmt.Sprintf("Every message comes back with the same type, length and SHA-1, all within %d seconds; "+
				"then a clean close with 1000. A peer that negotiates no permessage-deflate makes the case UNIMPLEMENTED.", s.wait),
			Close: fuzzerClosesClean,
			Compression: &Compression{Corpus: data.Key, Binary: data.Binary, Length: s.length, Count: compressionCount,
				Wait: time.Duration(s.wait) * time.Second, AutoFragment: s.autoFragment, Requests: reqs},
		})
	}
}

// describeRequests says what the fuzzer offers and accepts.
func describeRequests(reqs []DeflateRequest) string {
	asks := make([]string, len(reqs))
	for i, r := range reqs {
		var parts []string
		if r.NoContextTakeover {
			parts = append(parts, "no context takeover")
		}
		if r.MaxWindowBits != 0 {
			parts = append(parts, fmt.Sprintf("a window of 2^%d", r.MaxWindowBits))
		}
		asks[i] = "nothing more"
		if len(parts) > 0 {
			asks[i] = strings.Join(parts, " and ")
		}
	}
	return fmt.Sprintf("As a client the fuzzer offers permessage-deflate asking the server for %s; as a server it accepts "+
		"the first fitting offer asking the client for %s.", strings.Join(asks, ", else "), strings.Join(asks, ", else "))
}
