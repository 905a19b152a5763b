package oracle

import (
	"encoding/binary"
	"fmt"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// PeerFrame is a frame the peer sent, its payload unmasked.
type PeerFrame struct {
	Fin        bool
	RSV        byte
	Opcode     byte
	Masked     bool
	Payload    []byte
	NonMinimal bool // the length in a longer form than needed
	TopBit     bool // the 64-bit length with its most significant bit set
}

func (f PeerFrame) String() string {
	fin := "not-FIN"
	if f.Fin {
		fin = "FIN"
	}
	s := fmt.Sprintf("%s frame %s", script.OpcodeName(f.Opcode), fin)
	if f.RSV != 0 {
		s += fmt.Sprintf(" RSV=%d", f.RSV)
	}
	if f.Masked {
		s += " masked"
	}
	return s + fmt.Sprintf(", %d octets %s", len(f.Payload), wirelog.Text(f.Payload))
}

// ParseFrames reads the frames in b, the octets the peer sent after the
// handshake. It returns the frames and the number of octets after the last
// whole frame (a frame cut short by the end of the connection). Unmasked
// payloads share b's memory.
func ParseFrames(b []byte) ([]PeerFrame, int) {
	var out []PeerFrame
	for {
		f, n := parseFrame(b)
		if n == 0 {
			return out, len(b)
		}
		out = append(out, f)
		b = b[n:]
	}
}

// parseFrame reads one frame from the start of b; n is 0 when b holds no
// whole frame.
func parseFrame(b []byte) (f PeerFrame, n int) {
	if len(b) < 2 {
		return f, 0
	}
	f.Fin, f.RSV, f.Opcode = b[0]&0x80 != 0, b[0]>>4&7, b[0]&0x0f
	f.Masked = b[1]&0x80 != 0
	length, pos := uint64(b[1]&0x7f), 2
	switch length {
	case 126:
		if len(b) < 4 {
			return f, 0
		}
		length, pos = uint64(binary.BigEndian.Uint16(b[2:])), 4
		f.NonMinimal = length <= 125
	case 127:
		if len(b) < 10 {
			return f, 0
		}
		length, pos = binary.BigEndian.Uint64(b[2:]), 10
		f.NonMinimal, f.TopBit = length <= 0xffff, length>>63 != 0
	}
	var key [4]byte
	if f.Masked {
		if len(b) < pos+4 {
			return f, 0
		}
		copy(key[:], b[pos:])
		pos += 4
	}
	if length > uint64(len(b)-pos) {
		return f, 0
	}
	f.Payload = b[pos : pos+int(length) : pos+int(length)]
	if f.Masked {
		f.Payload = append([]byte(nil), f.Payload...)
		frame.Mask(key, 0, f.Payload)
	}
	return f, pos + int(length)
}

// NextFrame reads the header of the frame at the start of b without its
// payload: its opcode and its length with the header, n 0 when b holds no
// whole frame.
func NextFrame(b []byte) (opcode byte, n int) {
	if len(b) < 2 {
		return 0, 0
	}
	length, pos := uint64(b[1]&0x7f), 2
	switch length {
	case 126:
		if len(b) < 4 {
			return 0, 0
		}
		length, pos = uint64(binary.BigEndian.Uint16(b[2:])), 4
	case 127:
		if len(b) < 10 {
			return 0, 0
		}
		length, pos = binary.BigEndian.Uint64(b[2:]), 10
	}
	if b[1]&0x80 != 0 {
		pos += 4
	}
	if pos > len(b) || length > uint64(len(b)-pos) {
		return 0, 0
	}
	return b[0] & 0x0f, pos + int(length)
}
