package report

import (
	"encoding/json"
	"fmt"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// Stats counts events by size: octets per read or write, or frames per
// payload length, as the wire statistics of a case page show them.
type Stats map[int]int

// Total is the sum of size × count, the number of octets counted.
func (s Stats) Total() int {
	t := 0
	for n, c := range s {
		t += n * c
	}
	return t
}

// Count is the number of events counted.
func (s Stats) Count() int {
	t := 0
	for _, c := range s {
		t += c
	}
	return t
}

// WireEntry is one line of a case's wire log: octets or a frame in either
// direction, or a case timer, in the order they happened. Which fields are
// meaningful depends on Kind, one of the codes of Autobahn reports: "RO"
// and "TO" (octets read and written: Len, Data as hex, Sync), "RF" and "TF"
// (a frame received and sent: Len, Data as display text, Opcode, Fin, RSV,
// Masked, MaskHex, RepeatLen, Chop, Sync), "CT" and "CTE" (a pause
// scheduled and ended: Delay, Tag), "KL" and "KLE" (the kill timer set and
// fired: Delay), "TI" and "TIE" (the close timer set and fired: Delay), and
// "WLM" (the wire log switched on or off: Enabled). In JSON it is the array
// form of Autobahn reports (["RO", [len, hex]], ["TF", ...], ...).
type WireEntry struct {
	Kind string

	Len  int    // octet or payload length
	Data string // hex of octets, or display text of a frame payload

	Sync bool // TO, TF: written as its own write

	Opcode  byte
	Fin     bool
	RSV     byte
	Masked  bool    // RF
	MaskHex *string // RF, TF: mask key in hex, nil when unmasked

	RepeatLen *int // TF: payload repeated to this length
	Chop      *int // TF: chop size

	Delay float64 // CT, KL, TI: seconds
	Tag   *string // CT, CTE

	Enabled bool // WLM
}

// MarshalJSON encodes e as the array form of Autobahn reports.
func (e WireEntry) MarshalJSON() ([]byte, error) {
	var v []any
	switch e.Kind {
	case wirelog.RxOctets:
		v = []any{e.Kind, []any{e.Len, e.Data}}
	case wirelog.TxOctets:
		v = []any{e.Kind, []any{e.Len, e.Data}, e.Sync}
	case wirelog.RxFrame:
		v = []any{e.Kind, []any{e.Len, e.Data}, e.Opcode, e.Fin, e.RSV, e.Masked, e.MaskHex}
	case wirelog.TxFrame:
		v = []any{e.Kind, []any{e.Len, e.Data}, e.Opcode, e.Fin, e.RSV, e.MaskHex, e.RepeatLen, e.Chop, e.Sync}
	case wirelog.Continue:
		v = []any{e.Kind, e.Delay, e.Tag}
	case wirelog.ContinueFired:
		v = []any{e.Kind, e.Tag}
	case wirelog.Kill, wirelog.CloseTimer:
		v = []any{e.Kind, e.Delay}
	case wirelog.KillFired, wirelog.CloseFired:
		v = []any{e.Kind}
	case wirelog.Mode:
		v = []any{e.Kind, e.Enabled}
	default:
		return nil, fmt.Errorf("wirelog: unknown entry kind %q", e.Kind)
	}
	return json.Marshal(v)
}

// UnmarshalJSON decodes the array form written by MarshalJSON (and by the real
// fuzzer).
func (e *WireEntry) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("wirelog: entry is not an array: %w", err)
	}
	if len(raw) == 0 {
		return fmt.Errorf("wirelog: empty entry")
	}
	*e = WireEntry{}
	if err := json.Unmarshal(raw[0], &e.Kind); err != nil {
		return fmt.Errorf("wirelog: entry kind: %w", err)
	}
	want := map[string]int{wirelog.RxOctets: 2, wirelog.TxOctets: 3, wirelog.RxFrame: 7, wirelog.TxFrame: 9, wirelog.Continue: 3, wirelog.ContinueFired: 2,
		wirelog.Kill: 2, wirelog.CloseTimer: 2, wirelog.KillFired: 1, wirelog.CloseFired: 1, wirelog.Mode: 2}
	n, ok := want[e.Kind]
	if !ok {
		return fmt.Errorf("wirelog: unknown entry kind %q", e.Kind)
	}
	if len(raw) != n {
		return fmt.Errorf("wirelog: %s entry has %d elements, want %d", e.Kind, len(raw), n)
	}
	var fields []any
	switch e.Kind {
	case wirelog.RxOctets, wirelog.TxOctets, wirelog.RxFrame, wirelog.TxFrame:
		var pair []json.RawMessage
		if err := json.Unmarshal(raw[1], &pair); err != nil || len(pair) != 2 {
			return fmt.Errorf("wirelog: %s entry: want [len, data]", e.Kind)
		}
		fields = []any{&e.Len, &e.Data}
		raw = append(pair, raw[2:]...)
	default:
		raw = raw[1:]
	}
	switch e.Kind {
	case wirelog.TxOctets:
		fields = append(fields, &e.Sync)
	case wirelog.RxFrame:
		fields = append(fields, &e.Opcode, &e.Fin, &e.RSV, &e.Masked, &e.MaskHex)
	case wirelog.TxFrame:
		fields = append(fields, &e.Opcode, &e.Fin, &e.RSV, &e.MaskHex, &e.RepeatLen, &e.Chop, &e.Sync)
	case wirelog.Continue:
		fields = append(fields, &e.Delay, &e.Tag)
	case wirelog.ContinueFired:
		fields = append(fields, &e.Tag)
	case wirelog.Kill, wirelog.CloseTimer:
		fields = append(fields, &e.Delay)
	case wirelog.Mode:
		fields = append(fields, &e.Enabled)
	}
	for i, f := range fields {
		if err := json.Unmarshal(raw[i], f); err != nil {
			return fmt.Errorf("wirelog: %s entry element %d: %w", e.Kind, i+1, err)
		}
	}
	return nil
}
