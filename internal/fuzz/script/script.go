// Package script is the language the fuzz targets speak: every byte string
// decodes to a Script, a list of actions the fuzzer plays against a peer
// (frames of any opcode, FIN, RSV bits, length form, payload and masking,
// their chopping into writes, closes, a TCP half-close), and every Script
// encodes back to bytes that decode to it again.
//
// An input is read as records of RecordLen octets, one action each, so that
// changing an octet of the input changes one action only:
//
//	octet 0     the frame's first header octet: FIN (bit 7), RSV (bits 6-4), opcode (bits 3-0)
//	octet 1     bits 7-6 kind (0 and 3 frame, 1 close-body frame, 2 half-close),
//	            bits 5-4 length form (0 and 3 minimal, 1 16-bit, 2 64-bit),
//	            bit 3 masking wrong for the role, bit 2 same write as the previous
//	            frame, bits 1-0 mask key
//	octets 2-3  payload pattern: an index into Dictionary
//	octets 4-6  frame: payload length, the pattern repeated and cut to it:
//	            octets 5-6 a number v, octet 4 modulo 16 its range (0-9: v modulo
//	            128, 10-11: modulo 1024, 12-13: modulo 16384, 14: v, 15: 65536+v),
//	            so that most lengths are small;
//	            close body: octets 4-5 the close code, octet 6 the reason's length
//	octet 7     chop: 0 writes the frame at once, n in writes of n octets
//
// A trailing partial record
// reads as if padded with zeros. At most MaxActions actions and MaxPayload
// octets of payload in all are kept: a payload is cut to what is left of
// that budget.
package script

// RecordLen is the number of input octets per action.
const RecordLen = 8

// MaxActions is the largest number of actions of a script.
const MaxActions = 64

// MaxFrame is the largest payload of a frame: past 64 KiB, so that every
// length form is needed, and small enough to keep executions fast.
const MaxFrame = 1<<16 + 1<<16 - 1

// MaxPayload is the largest total payload of a script's frames.
const MaxPayload = 1 << 17

// Kind is what an action does.
type Kind byte

// Kinds of action.
const (
	// Frame sends a frame whose payload is a pattern of the dictionary
	// repeated and cut to Length octets.
	Frame Kind = iota
	// CloseBody sends a frame whose payload is a close body: Code in two
	// octets, then the Reason pattern cut to Length octets.
	CloseBody
	// HalfClose shuts the fuzzer's side of the connection for writing (a TCP
	// FIN); nothing is sent after it.
	HalfClose
)

// LengthForm is how a frame header encodes the payload length.
type LengthForm byte

// Length forms. Forms other than Minimal make headers that RFC 6455 5.2
// forbids when a shorter form would hold the length; a form too short for
// the length gives way to the one that holds it.
const (
	Minimal LengthForm = iota
	Len16
	Len64
)

// Action is one step of a script.
type Action struct {
	Kind    Kind
	Fin     bool
	RSV     byte // 0-7
	Opcode  byte // 0-15
	Form    LengthForm
	BadMask bool // masked by a server, or unmasked by a client
	Join    bool // written in the same write as the previous frame
	Key     byte // the mask key: an index into MaskKeys
	Pattern int  // an index into Dictionary
	Length  int  // payload octets of a Frame; reason octets of a CloseBody
	Code    uint16
	Chop    int // 0: the frame at once; n: in writes of n octets
}

// Script is the list of actions decoded from a fuzz input.
type Script struct {
	Actions []Action
}

// MaskKeys are the mask keys a frame can use.
var MaskKeys = [4][4]byte{
	{0x37, 0xfa, 0x21, 0x3d}, // the example of RFC 6455 5.7
	{0x00, 0x00, 0x00, 0x00},
	{0xff, 0xff, 0xff, 0xff},
	{0x01, 0x02, 0x03, 0x04},
}

// Payload returns the payload of a Frame or CloseBody action.
func (a Action) Payload() []byte {
	if a.Kind == HalfClose {
		return nil
	}
	body := repeat(Dictionary[a.Pattern], a.Length)
	if a.Kind == CloseBody {
		return append([]byte{byte(a.Code >> 8), byte(a.Code)}, body...)
	}
	return body
}

// PayloadLen is the length of a's payload: Payload without building it.
func (a Action) PayloadLen() int {
	switch a.Kind {
	case HalfClose:
		return 0
	case CloseBody:
		return 2 + a.Length
	}
	return a.Length
}

// repeat returns pattern repeated and cut to n octets; pattern is never
// empty. It copies what it has filled so far, doubling each time.
func repeat(pattern []byte, n int) []byte {
	out := make([]byte, n)
	filled := copy(out, pattern)
	for filled < n {
		filled += copy(out[filled:], out[:filled])
	}
	return out
}
