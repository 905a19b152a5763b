package engine

import "sync"

// txBuffers recycles the buffers messages are sent from: all frames of a
// message are encoded into one buffer, which serves a later message once
// the writer has written its last octet.
type txBuffers struct {
	free chan []byte
	mu   sync.Mutex
	out  [][]byte // buffers handed to the writer, in the order they were sent
}

func newTxBuffers() *txBuffers { return &txBuffers{free: make(chan []byte, 2)} }

// get returns an empty buffer with room for n octets. A new one has some
// room to spare, as the compressed messages of a case differ a little in
// length.
func (t *txBuffers) get(n int) []byte {
	select {
	case b := <-t.free:
		if cap(b) >= n {
			return b[:0]
		}
	default:
	}
	return make([]byte, 0, n+n/8)
}

// sent registers b, all of whose octets go to the writer. It is called in
// the turn of the loop that sent them, while the writer holds them (see
// Conn.turn), so b is registered before any of its octets is written.
func (t *txBuffers) sent(b []byte) {
	if len(b) == 0 {
		return
	}
	t.mu.Lock()
	t.out = append(t.out, b)
	t.mu.Unlock()
}

// wrote is told of every write, in order: the buffer whose last octet p
// ends with is free again.
func (t *txBuffers) wrote(p []byte) {
	if len(p) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.out) == 0 {
		return
	}
	if b := t.out[0]; &p[len(p)-1] == &b[len(b)-1] {
		n := copy(t.out, t.out[1:])
		t.out[n] = nil
		t.out = t.out[:n]
		select {
		case t.free <- b:
		default:
		}
	}
}
