package script

import (
	"fmt"
	"strings"
)

// opcodeNames names the opcodes of RFC 6455 5.2.
var opcodeNames = map[byte]string{0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong"}

// OpcodeName names an opcode, "reserved opcode N" for the reserved ones.
func OpcodeName(op byte) string {
	if n, ok := opcodeNames[op]; ok {
		return n
	}
	return fmt.Sprintf("reserved opcode %d", op)
}

// String describes the script in words, one numbered action a line.
func (s Script) String() string {
	if len(s.Actions) == 0 {
		return "(no action)"
	}
	var b strings.Builder
	for i, a := range s.Actions {
		fmt.Fprintf(&b, "%2d. %s\n", i+1, a)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// String describes one action in words.
func (a Action) String() string {
	if a.Kind == HalfClose {
		return "half-close: shut the fuzzer's side for writing (TCP FIN)"
	}
	var b strings.Builder
	b.WriteString(OpcodeName(a.Opcode))
	b.WriteString(" frame")
	if a.Fin {
		b.WriteString(" FIN")
	} else {
		b.WriteString(" not-FIN")
	}
	if a.RSV != 0 {
		fmt.Fprintf(&b, " RSV=%d", a.RSV)
	}
	if a.Kind == CloseBody {
		fmt.Fprintf(&b, ", close code %d, reason %s", a.Code, quote(repeat(Dictionary[a.Pattern], a.Length)))
	} else {
		fmt.Fprintf(&b, ", payload %s", quote(a.Payload()))
	}
	switch {
	case a.Form == Len64 && a.PayloadLen() <= 0xffff:
		b.WriteString(", 64-bit length")
	case a.Form == Len16 && a.PayloadLen() <= 125:
		b.WriteString(", 16-bit length")
	}
	if a.BadMask {
		b.WriteString(", masking wrong for the role")
	}
	if a.Join {
		b.WriteString(", in the previous frame's write")
	}
	if a.Chop > 0 {
		fmt.Fprintf(&b, ", written %d octet(s) at a time", a.Chop)
	}
	return b.String()
}

// quote shows a payload: its length and its start, quoted.
func quote(p []byte) string {
	const shown = 40
	if len(p) <= shown {
		return fmt.Sprintf("%d octets %q", len(p), p)
	}
	return fmt.Sprintf("%d octets %q...", len(p), p[:shown])
}
