package script

import (
	"strings"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/frame"
)

// Seed is a script derived from one case of the Autobahn catalog.
type Seed struct {
	Name   string // the case id with dots as underscores: "case_1_1_1"
	Script Script
}

// Seeds returns a script per case of the catalog's sections 1-10: the frames
// the case sends, in order, with their chopping, the payloads cut to the
// script's budget. Timers are left out (a script has none) and a kill of
// the connection becomes a half-close.
func Seeds() []Seed {
	var out []Seed
	for _, c := range catalogCases() {
		var s Script
		budget := MaxPayload
		for _, f := range catalogFrames(c) {
			if len(s.Actions) == MaxActions {
				break
			}
			a := f.action()
			if a.Kind != HalfClose {
				a.Length = min(a.Length, budget, MaxFrame)
				budget -= a.Length
			}
			s.Actions = append(s.Actions, a)
		}
		out = append(out, Seed{Name: "case_" + strings.ReplaceAll(c.ID, ".", "_"), Script: s})
	}
	return out
}

// catalogFrame is a frame (or half-close) a case sends.
type catalogFrame struct {
	halfClose bool
	op        byte
	fin       bool
	rsv       byte
	pattern   []byte
	length    int
	code      *int // a close body: code, then pattern as the reason
	chop      int
}

func (f catalogFrame) action() Action {
	if f.halfClose {
		return Action{Kind: HalfClose}
	}
	a := Action{Fin: f.fin, RSV: f.rsv, Opcode: f.op, Length: f.length, Chop: min(f.chop, 255)}
	if len(f.pattern) > 0 {
		a.Pattern = patternIndex[string(f.pattern)]
	} else {
		a.Length = 0
	}
	if f.code != nil {
		a.Kind, a.Code, a.Length = CloseBody, uint16(*f.code), min(a.Length, 255)
	}
	return a
}

// catalogFrames lists the frames case c sends.
func catalogFrames(c *cases.Case) []catalogFrame {
	var out []catalogFrame
	if rt := c.RoundTrip; rt != nil {
		s := cases.Step{Action: cases.SendMessage, Binary: rt.Binary, Payload: []byte("*"), RepeatLen: &rt.Length}
		for range min(rt.Count, MaxActions) {
			out = append(out, messageFrames(s, 0)...)
		}
	}
	fragment := 0
	for _, s := range c.Steps {
		switch s.Action {
		case cases.SendFrame:
			n := len(s.Payload)
			if s.RepeatLen != nil {
				n = *s.RepeatLen
			}
			out = append(out, catalogFrame{op: s.Opcode, fin: s.Fin, rsv: s.RSV, pattern: s.Payload, length: n, chop: s.Chop})
		case cases.SendMessage:
			out = append(out, messageFrames(s, fragment)...)
		case cases.SendClose, cases.SendRawClose:
			out = append(out, catalogFrame{op: frame.OpClose, fin: true, pattern: s.Reason, length: len(s.Reason), code: s.Code})
		case cases.CloseAfter:
			out = append(out, catalogFrame{op: frame.OpClose, fin: true})
		case cases.KillAfter:
			out = append(out, catalogFrame{halfClose: true})
		case cases.BeginMessage:
			out = append(out, catalogFrame{op: frame.OpText})
		case cases.BeginFrame:
			out[len(out)-1].length = s.Length
		case cases.FrameData:
			last := &out[len(out)-1]
			last.pattern = append(last.pattern[:len(last.pattern):len(last.pattern)], s.Payload...)
		case cases.EndMessage:
			out = append(out, catalogFrame{op: frame.OpContinuation, fin: true})
		case cases.AutoFragment:
			fragment = s.Length
		}
	}
	return out
}

// messageFrames are the frames of a SendMessage step, fragmented by its
// FragSize or else by the automatic fragment size.
func messageFrames(s cases.Step, fragment int) []catalogFrame {
	op := frame.OpText
	if s.Binary {
		op = frame.OpBinary
	}
	n := len(s.Payload)
	if s.RepeatLen != nil {
		n = *s.RepeatLen
	}
	size := s.FragSize
	if size == 0 {
		size = fragment
	}
	if size <= 0 || size >= n {
		return []catalogFrame{{op: op, fin: true, pattern: s.Payload, length: n}}
	}
	var out []catalogFrame
	for off := 0; off < n; off += size {
		f := catalogFrame{op: op, fin: off+size >= n, pattern: s.Payload, length: min(size, n-off)}
		if off > 0 {
			f.op = frame.OpContinuation
		}
		if len(s.Payload) > 0 && off%len(s.Payload) != 0 && f.length <= 256 {
			f.pattern = repeat(s.Payload, off+f.length)[off:]
		}
		out = append(out, f)
	}
	return out
}
