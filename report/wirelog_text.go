package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// WireLog is a wire log that renders as one line per entry for a reader
// (String) and as the Autobahn report arrays in JSON. Ginkgo report entries
// of this type show the lines on the console and the arrays in JSON and
// JUnit reports.
type WireLog []WireEntry

// String renders the log, one entry per line.
func (l WireLog) String() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = EntryString(e)
	}
	return strings.Join(lines, "\n")
}

// EntryString renders one wire log entry: octets in hex, frames with their
// opcode, bits, length, chop size and payload text, and the case timers.
func EntryString(e WireEntry) string {
	switch e.Kind {
	case wirelog.RxOctets:
		return fmt.Sprintf("RX octets (%d): %s", e.Len, e.Data)
	case wirelog.TxOctets:
		return fmt.Sprintf("TX octets (%d)%s: %s", e.Len, syncString(e.Sync), e.Data)
	case wirelog.RxFrame:
		masked := ""
		if e.Masked {
			masked = " masked"
		}
		return fmt.Sprintf("RX frame %s%s rsv=%d%s len=%d: %s", opcodeName(e.Opcode), finString(e.Fin), e.RSV, masked, e.Len, e.Data)
	case wirelog.TxFrame:
		size := fmt.Sprintf("len=%d", e.Len)
		if e.RepeatLen != nil {
			size = fmt.Sprintf("len=%d (a %d-octet pattern repeated)", *e.RepeatLen, e.Len)
		}
		chop := ""
		if e.Chop != nil {
			chop = fmt.Sprintf(" chop=%d", *e.Chop)
		}
		return fmt.Sprintf("TX frame %s%s rsv=%d %s%s%s: %s", opcodeName(e.Opcode), finString(e.Fin), e.RSV, size, chop, syncString(e.Sync), e.Data)
	case wirelog.Continue:
		return fmt.Sprintf("timer: go on in %v%s", seconds(e.Delay), tagString(e.Tag))
	case wirelog.ContinueFired:
		return "timer fired: going on" + tagString(e.Tag)
	case wirelog.Kill:
		return fmt.Sprintf("timer: fail the connection in %v", seconds(e.Delay))
	case wirelog.KillFired:
		return "timer fired: failing the connection"
	case wirelog.CloseTimer:
		return fmt.Sprintf("timer: close in %v", seconds(e.Delay))
	case wirelog.CloseFired:
		return "timer fired: closing"
	case wirelog.Mode:
		if e.Enabled {
			return "wire log on"
		}
		return "wire log off"
	}
	return e.Kind
}

func opcodeName(op byte) string {
	switch op {
	case frame.OpContinuation:
		return "CONTINUATION"
	case frame.OpText:
		return "TEXT"
	case frame.OpBinary:
		return "BINARY"
	case frame.OpClose:
		return "CLOSE"
	case frame.OpPing:
		return "PING"
	case frame.OpPong:
		return "PONG"
	}
	return fmt.Sprintf("opcode-%d", op)
}

func finString(fin bool) string {
	if fin {
		return " fin"
	}
	return ""
}

func syncString(sync bool) string {
	if sync {
		return " sync"
	}
	return ""
}

func tagString(tag *string) string {
	if tag == nil {
		return ""
	}
	return fmt.Sprintf(" (%s)", *tag)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
