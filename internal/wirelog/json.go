package wirelog

import (
	"encoding/json"
	"fmt"
)

// MarshalJSON encodes e as the array form of Autobahn reports.
func (e Entry) MarshalJSON() ([]byte, error) {
	var v []any
	switch e.Kind {
	case RxOctets:
		v = []any{e.Kind, []any{e.Len, e.Data}}
	case TxOctets:
		v = []any{e.Kind, []any{e.Len, e.Data}, e.Sync}
	case RxFrame:
		v = []any{e.Kind, []any{e.Len, e.Data}, e.Opcode, e.Fin, e.RSV, e.Masked, e.MaskHex}
	case TxFrame:
		v = []any{e.Kind, []any{e.Len, e.Data}, e.Opcode, e.Fin, e.RSV, e.MaskHex, e.RepeatLen, e.Chop, e.Sync}
	case Continue:
		v = []any{e.Kind, e.Delay, e.Tag}
	case ContinueFired:
		v = []any{e.Kind, e.Tag}
	case Kill, CloseTimer:
		v = []any{e.Kind, e.Delay}
	case KillFired, CloseFired:
		v = []any{e.Kind}
	case Mode:
		v = []any{e.Kind, e.Enabled}
	default:
		return nil, fmt.Errorf("wirelog: unknown entry kind %q", e.Kind)
	}
	return json.Marshal(v)
}

// UnmarshalJSON decodes the array form written by MarshalJSON (and by the real
// fuzzer).
func (e *Entry) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("wirelog: entry is not an array: %w", err)
	}
	if len(raw) == 0 {
		return fmt.Errorf("wirelog: empty entry")
	}
	*e = Entry{}
	if err := json.Unmarshal(raw[0], &e.Kind); err != nil {
		return fmt.Errorf("wirelog: entry kind: %w", err)
	}
	want := map[string]int{RxOctets: 2, TxOctets: 3, RxFrame: 7, TxFrame: 9, Continue: 3, ContinueFired: 2,
		Kill: 2, CloseTimer: 2, KillFired: 1, CloseFired: 1, Mode: 2}
	n, ok := want[e.Kind]
	if !ok {
		return fmt.Errorf("wirelog: unknown entry kind %q", e.Kind)
	}
	if len(raw) != n {
		return fmt.Errorf("wirelog: %s entry has %d elements, want %d", e.Kind, len(raw), n)
	}
	var fields []any
	switch e.Kind {
	case RxOctets, TxOctets, RxFrame, TxFrame:
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
	case TxOctets:
		fields = append(fields, &e.Sync)
	case RxFrame:
		fields = append(fields, &e.Opcode, &e.Fin, &e.RSV, &e.Masked, &e.MaskHex)
	case TxFrame:
		fields = append(fields, &e.Opcode, &e.Fin, &e.RSV, &e.MaskHex, &e.RepeatLen, &e.Chop, &e.Sync)
	case Continue:
		fields = append(fields, &e.Delay, &e.Tag)
	case ContinueFired:
		fields = append(fields, &e.Tag)
	case Kill, CloseTimer:
		fields = append(fields, &e.Delay)
	case Mode:
		fields = append(fields, &e.Enabled)
	}
	for i, f := range fields {
		if err := json.Unmarshal(raw[i], f); err != nil {
			return fmt.Errorf("wirelog: %s entry element %d: %w", e.Kind, i+1, err)
		}
	}
	return nil
}
