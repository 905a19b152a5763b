package mutants

// rsvOnContinuation clears the RSV bits of continuation frames before
// gorilla reads them, so that it accepts what it must fail.
type rsvOnContinuation struct{ none }

func (rsvOnContinuation) firstOctet(b byte) byte {
	if b&0x0f == 0 {
		return b &^ 0x70
	}
	return b
}

// pingInBinaryFragments panics on a ping inside a fragmented binary
// message.
type pingInBinaryFragments struct{ none }

func (pingInBinaryFragments) header(t *tap, f frameInfo) bool {
	if f.opcode == 9 && f.inFragments && t.binary {
		panic("mutants: a ping inside a fragmented binary message")
	}
	return false
}

// closeSplit hangs when a read ends one octet into a close frame's header.
type closeSplit struct{ none }

func (closeSplit) split(_ *tap, first byte) bool { return first&0x0f == 8 }

// shortEcho drops the last octet of a message under 1000 octets that came
// in fragments, the first of 126 octets or more.
func shortEcho(t *tap, _ int, msg []byte) []byte {
	first := t.nextMessage()
	if !first.fin && first.length >= 126 && len(msg) < 1000 {
		return msg[:len(msg)-1]
	}
	return msg
}

// emptyPingPong answers an empty ping inside a fragmented message with a
// pong that is not empty.
func emptyPingPong(t *tap, ping string) string {
	if p := t.nextPing(); p.inFragments && p.length == 0 {
		return "pong"
	}
	return ping
}

// shortPong cuts the pong's payload to 100 octets.
func shortPong(_ *tap, ping string) string {
	if len(ping) > 100 {
		return ping[:100]
	}
	return ping
}
