package script

// Decode reads a script from any input; it never fails. See the package
// documentation for the layout.
func Decode(data []byte) Script {
	var s Script
	budget := MaxPayload
	for off := 0; off < len(data) && len(s.Actions) < MaxActions; off += RecordLen {
		var r [RecordLen]byte
		copy(r[:], data[off:])
		a := decodeRecord(r)
		if a.Kind != HalfClose {
			a.Length = min(a.Length, budget)
			budget -= a.Length
		}
		s.Actions = append(s.Actions, a)
	}
	return s
}

// decodeRecord reads one action, before the payload budget applies.
func decodeRecord(r [RecordLen]byte) Action {
	kind := Kind(r[1] >> 6)
	if kind > HalfClose {
		kind = Frame
	}
	if kind == HalfClose {
		return Action{Kind: HalfClose}
	}
	a := Action{
		Kind:    kind,
		Fin:     r[0]&0x80 != 0,
		RSV:     r[0] >> 4 & 7,
		Opcode:  r[0] & 0x0f,
		Form:    LengthForm(r[1] >> 4 & 3),
		BadMask: r[1]&0x08 != 0,
		Join:    r[1]&0x04 != 0,
		Key:     r[1] & 3,
		Pattern: (int(r[2])<<8 | int(r[3])) % len(Dictionary),
		Chop:    int(r[7]),
	}
	if a.Form > Len64 {
		a.Form = Minimal
	}
	if kind == CloseBody {
		a.Code = uint16(r[4])<<8 | uint16(r[5])
		a.Length = int(r[6])
	} else {
		a.Length = decodeLength(r[4], int(r[5])<<8|int(r[6]))
	}
	return a
}

// Encode returns an input that decodes to s, for a script whose fields are
// in their ranges (as Decode makes them): Decode(Encode(s)) equals s.
func Encode(s Script) []byte {
	out := make([]byte, 0, len(s.Actions)*RecordLen)
	for _, a := range s.Actions {
		out = append(out, encodeRecord(a)...)
	}
	return out
}

func encodeRecord(a Action) []byte {
	var r [RecordLen]byte
	r[1] = byte(a.Kind) << 6
	if a.Kind == HalfClose {
		return r[:]
	}
	r[0] = a.RSV&7<<4 | a.Opcode&0x0f
	if a.Fin {
		r[0] |= 0x80
	}
	r[1] |= byte(a.Form)&3<<4 | a.Key&3
	if a.BadMask {
		r[1] |= 0x08
	}
	if a.Join {
		r[1] |= 0x04
	}
	r[2], r[3] = byte(a.Pattern>>8), byte(a.Pattern)
	if a.Kind == CloseBody {
		r[4], r[5], r[6] = byte(a.Code>>8), byte(a.Code), byte(a.Length)
	} else {
		r[4], r[5], r[6] = encodeLength(a.Length)
	}
	r[7] = byte(a.Chop)
	return r[:]
}

// decodeLength reads a frame's payload length: v in the range that class
// selects (see the package documentation).
func decodeLength(class byte, v int) int {
	switch class % 16 {
	case 10, 11:
		return v % 1024
	case 12, 13:
		return v % 16384
	case 14:
		return v
	case 15:
		return 1<<16 + v
	}
	return v % 128
}

// encodeLength returns the octets 4-6 of a record for length n, the
// smallest range that holds it.
func encodeLength(n int) (class, hi, lo byte) {
	switch {
	case n < 128:
		class = 0
	case n < 1024:
		class = 10
	case n < 16384:
		class = 12
	case n < 1<<16:
		class = 14
	default:
		class, n = 15, n-1<<16
	}
	return class, byte(n >> 8), byte(n)
}
