package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/wsfuzz/autobahn/internal/engine"
)

// option applies one Autobahn protocol option to engine options.
type option struct {
	kind  string // "bool", "seconds", "int"
	apply func(o *engine.Options, b bool, d time.Duration, n int64) error
}

// options are the Autobahn protocol options a spec may set. Options the real
// fuzzer has but that would change nothing here (logging, timing tracking)
// are accepted and ignored; the rest are refused.
var options = map[string]option{
	"failByDrop": {"bool", func(o *engine.Options, b bool, _ time.Duration, _ int64) error { o.FailByDrop = b; return nil }},
	"openHandshakeTimeout": {"seconds", func(o *engine.Options, _ bool, d time.Duration, _ int64) error {
		o.OpenHandshakeTimeout = d
		return nil
	}},
	"closeHandshakeTimeout": {"seconds", func(o *engine.Options, _ bool, d time.Duration, _ int64) error {
		o.CloseHandshakeTimeout = d
		return nil
	}},
	"serverConnectionDropTimeout": {"seconds", func(o *engine.Options, _ bool, d time.Duration, _ int64) error {
		o.ServerConnectionDropTimeout = d
		return nil
	}},
	"autoFragmentSize": {"int", func(o *engine.Options, _ bool, _ time.Duration, n int64) error {
		o.AutoFragmentSize = int(n)
		return nil
	}},
	"maxMessagePayloadSize": {"int", func(o *engine.Options, _ bool, _ time.Duration, n int64) error {
		if n == 0 {
			n = engine.DefaultMaxMessage // unlimited in the real fuzzer; bounded here
		}
		o.MaxMessagePayloadSize = n
		return nil
	}},
	"maxFramePayloadSize": {"int", func(o *engine.Options, _ bool, _ time.Duration, n int64) error { o.MaxFramePayloadSize = n; return nil }},
	"utf8validateIncoming": {"bool", func(o *engine.Options, b bool, _ time.Duration, _ int64) error {
		o.UTF8ValidateIncoming = b
		return nil
	}},
	"echoCloseCodeReason": {"bool", func(o *engine.Options, b bool, _ time.Duration, _ int64) error { o.EchoCloseCodeReason = b; return nil }},
	"requireMaskedClientFrames": {"bool", func(o *engine.Options, b bool, _ time.Duration, _ int64) error {
		o.RequireMaskedClientFrames = b
		return nil
	}},
	"maskClientFrames": {"bool", func(o *engine.Options, b bool, _ time.Duration, _ int64) error { o.MaskClientFrames = b; return nil }},
	"acceptMaskedServerFrames": {"bool", func(o *engine.Options, b bool, _ time.Duration, _ int64) error {
		o.AcceptMaskedServerFrames = b
		return nil
	}},
	"tcpNoDelay": {"bool", func(_ *engine.Options, b bool, _ time.Duration, _ int64) error {
		if !b {
			return fmt.Errorf("only true is supported")
		}
		return nil
	}},
	"version": {"int", func(_ *engine.Options, _ bool, _ time.Duration, n int64) error {
		// Autobahn numbers RFC 6455 as draft 18; 13 is its wire version.
		if n != 18 && n != 13 {
			return fmt.Errorf("only RFC 6455 (18, or 13) is supported, got %d", n)
		}
		return nil
	}},
	"logOctets":    {"bool", func(*engine.Options, bool, time.Duration, int64) error { return nil }},
	"logFrames":    {"bool", func(*engine.Options, bool, time.Duration, int64) error { return nil }},
	"trackTimings": {"bool", func(*engine.Options, bool, time.Duration, int64) error { return nil }},
}

// Options builds engine options: the real fuzzer's defaults, then the global
// options, then the per-server ones. where names the field in errors.
func Options(global, own map[string]json.RawMessage, where string) (engine.Options, error) {
	o := engine.Defaults()
	for _, set := range []map[string]json.RawMessage{global, own} {
		names := make([]string, 0, len(set))
		for k := range set {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := applyOption(&o, name, set[name]); err != nil {
				return o, fmt.Errorf("spec: %s: option %q: %w", where, name, err)
			}
		}
	}
	return o, nil
}

// maxSeconds bounds the options in seconds: a time.Duration holds no more.
const maxSeconds = float64(math.MaxInt64) / float64(time.Second)

func applyOption(o *engine.Options, name string, v json.RawMessage) error {
	opt, ok := options[name]
	if !ok {
		return fmt.Errorf("unknown or unsupported option")
	}
	var b bool
	var f float64
	switch opt.kind {
	case "bool":
		if err := json.Unmarshal(v, &b); err != nil {
			return fmt.Errorf("want a boolean, got %s", jsonKind(v))
		}
	default:
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("want a number, got %s", jsonKind(v))
		}
		if f < 0 {
			return fmt.Errorf("must not be negative, got %v", f)
		}
		if opt.kind == "int" && f != float64(int64(f)) {
			return fmt.Errorf("want a whole number, got %v", f)
		}
		if opt.kind == "seconds" && f >= maxSeconds {
			return fmt.Errorf("too large, got %v (at most %.0f seconds)", f, maxSeconds)
		}
	}
	return opt.apply(o, b, time.Duration(f*float64(time.Second)), int64(f))
}

// FromMap builds engine options from options by the real fuzzer's names,
// values as JSON would decode them (a Go program's map[string]any): the
// defaults, then options. where names the field in errors.
func FromMap(options map[string]any, where string) (engine.Options, error) {
	raw := make(map[string]json.RawMessage, len(options))
	for name, v := range options {
		b, err := json.Marshal(v)
		if err != nil {
			return engine.Defaults(), fmt.Errorf("spec: %s: option %q: %w", where, name, err)
		}
		raw[name] = b
	}
	return Options(raw, nil, where)
}
