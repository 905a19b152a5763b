// Package wirelog holds the fuzzer's wire log: octets and frames in both
// directions and the case timers, in the order they happened, encoded as the
// JSON arrays of Autobahn reports (["RO", [len, hex]], ["TF", ...], ...).
package wirelog

import (
	"encoding/hex"
	"unicode/utf8"
)

// Kinds of wire log entries.
const (
	RxOctets      = "RO"  // octets read from the socket
	TxOctets      = "TO"  // octets written to the socket
	RxFrame       = "RF"  // a frame received
	TxFrame       = "TF"  // a frame sent
	Continue      = "CT"  // continueLater scheduled
	ContinueFired = "CTE" // continueLater fired
	Kill          = "KL"  // killAfter scheduled
	KillFired     = "KLE" // killAfter fired: failing the connection
	CloseTimer    = "TI"  // closeAfter scheduled
	CloseFired    = "TIE" // closeAfter fired: closing the connection
	Mode          = "WLM" // wire log switched on or off
)

// Entry is one line of the wire log. Which fields are meaningful depends on
// Kind; see the constructors. report.WireEntry, the public form in results
// and report files, has the same fields so that report.WireEntry(e)
// converts one: a field added here goes there too, or the conversion does
// not compile.
type Entry struct {
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

// maxShown is how many octets a log line shows; longer data is cut to maxShown
// octets plus " ..." when it exceeds maxShown minus the ellipsis length, as in
// the real fuzzer.
const maxShown = 64

const ellipsis = " ..."

// Hex renders octets for the log: hex of at most 64 octets, with " ..." when
// longer than 60.
func Hex(p []byte) string {
	if len(p) > maxShown-len(ellipsis) {
		return hex.EncodeToString(p[:min(len(p), maxShown)]) + ellipsis
	}
	return hex.EncodeToString(p)
}

// Text renders a payload for display: as UTF-8 text (cut like Hex) when that
// decodes, else "0x" followed by Hex.
func Text(p []byte) string {
	s := p
	if len(p) > maxShown-len(ellipsis) {
		s = append(append([]byte{}, p[:min(len(p), maxShown)]...), ellipsis...)
	}
	if utf8.Valid(s) {
		return string(s)
	}
	return "0x" + Hex(p)
}

// RxOctetsEntry logs octets read.
func RxOctetsEntry(p []byte) Entry { return Entry{Kind: RxOctets, Len: len(p), Data: Hex(p)} }

// TxOctetsEntry logs octets written.
func TxOctetsEntry(p []byte, sync bool) Entry {
	return Entry{Kind: TxOctets, Len: len(p), Data: Hex(p), Sync: sync}
}

// RxFrameEntry logs a received frame with its (unmasked) payload.
func RxFrameEntry(opcode byte, fin bool, rsv byte, mask *[4]byte, payload []byte) Entry {
	e := Entry{Kind: RxFrame, Len: len(payload), Data: Text(payload), Opcode: opcode, Fin: fin, RSV: rsv}
	if mask != nil {
		e.Masked = true
		h := hex.EncodeToString(mask[:])
		e.MaskHex = &h
	}
	return e
}

// TxFrameEntry logs a sent frame. payload is the payload argument before any
// repetition to repeatLen.
func TxFrameEntry(opcode byte, fin bool, rsv byte, mask *[4]byte, payload []byte, repeatLen, chop *int, sync bool) Entry {
	e := Entry{Kind: TxFrame, Len: len(payload), Data: Text(payload), Opcode: opcode, Fin: fin, RSV: rsv,
		RepeatLen: repeatLen, Chop: chop, Sync: sync}
	if mask != nil {
		h := hex.EncodeToString(mask[:])
		e.MaskHex = &h
	}
	return e
}

// TimerEntry logs a scheduled timer (KL, TI) or its firing (KLE, TIE).
func TimerEntry(kind string, delay float64) Entry { return Entry{Kind: kind, Delay: delay} }

// ContinueEntry logs a scheduled continuation (CT) or its firing (CTE).
func ContinueEntry(kind string, delay float64, tag *string) Entry {
	return Entry{Kind: kind, Delay: delay, Tag: tag}
}

// ModeEntry logs the wire log being switched on or off.
func ModeEntry(enabled bool) Entry { return Entry{Kind: Mode, Enabled: enabled} }
