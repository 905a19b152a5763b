package spec

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// optionNames are the options a spec may set, in a fixed order.
func optionNames() []string {
	names := make([]string, 0, len(options))
	for n := range options {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// FuzzOptionValues: any JSON value for any option is refused with an error
// naming the option, or gives options without a negative duration or size
// (a negative one would silently switch a timeout or limit off).
func FuzzOptionValues(f *testing.F) {
	for i, v := range []string{`1`, `0`, `2.5`, `-1`, `1e10`, `1e308`, `true`, `"x"`, `9223372036854775807`, `null`, `[]`} {
		f.Add(uint8(i), v)
	}
	names := optionNames()
	f.Fuzz(func(t *testing.T, which uint8, value string) {
		name := names[int(which)%len(names)]
		if !json.Valid([]byte(value)) {
			return
		}
		o, err := Options(map[string]json.RawMessage{name: json.RawMessage(value)}, nil, `field "options"`)
		if err != nil {
			if !strings.Contains(err.Error(), fmt.Sprintf("option %q", name)) {
				t.Fatalf("error %q does not name option %s", err, name)
			}
			return
		}
		for _, d := range []int64{int64(o.OpenHandshakeTimeout), int64(o.CloseHandshakeTimeout), int64(o.ServerConnectionDropTimeout),
			int64(o.AutoFragmentSize), o.MaxMessagePayloadSize, o.MaxFramePayloadSize} {
			if d < 0 {
				t.Fatalf("option %s = %s gives a negative setting: %+v", name, value, o)
			}
		}
	})
}

// A timeout too long for a duration is refused, not turned into a negative
// one (which would switch it off).
func TestHugeTimeoutIsRefused(t *testing.T) {
	_, err := Parse([]byte(`{"url":"ws://127.0.0.1:9001","options":{"openHandshakeTimeout":1e10}}`), FuzzingServer)
	if err == nil || !strings.Contains(err.Error(), `option "openHandshakeTimeout": too large`) {
		t.Fatalf("error %v", err)
	}
}
