package deflate

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Streams compresses message streams that many connections send alike only
// once: 12.1.10 and 12.1.15-18 send the same 1000 messages with the same
// settings and differ only in how the compressed octets are framed. A
// stream is named by its sender (any comparable value that is equal for
// equal message sequences) and by the sending direction's settings, so its
// compressed messages are exactly those each connection would make with a
// compressor of its own. Streams past the octet budget are dropped, least
// recently asked for first, once no longer the newest; connections holding
// one keep it. It is safe for concurrent use.
type Streams struct {
	budget int64

	mu      sync.Mutex
	clock   int64
	streams map[streamKey]*Stream
}

type streamKey struct {
	name any
	dir  direction
}

// NewStreams returns a cache of compressed streams that keeps about budget
// octets of compressed messages.
func NewStreams(budget int64) *Streams {
	return &Streams{budget: budget, streams: make(map[streamKey]*Stream)}
}

// Stream returns the stream named name as compressed with codec's settings
// for what it sends.
func (s *Streams) Stream(name any, codec *Codec) *Stream {
	key := streamKey{name, codec.send.dir}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock++
	st, ok := s.streams[key]
	if !ok {
		s.evict()
		st = &Stream{c: compressor{dir: key.dir}}
		s.streams[key] = st
	}
	st.used = s.clock
	return st
}

// evict drops the least recently used streams while the cache holds more
// than its budget; s.mu is held.
func (s *Streams) evict() {
	var total int64
	for _, st := range s.streams {
		total += st.size.Load()
	}
	for total > s.budget {
		var oldest streamKey
		var st *Stream
		for k, v := range s.streams {
			if st == nil || v.used < st.used {
				oldest, st = k, v
			}
		}
		total -= st.size.Load()
		delete(s.streams, oldest)
	}
}

// Stream is one message stream, compressed in order by whichever connection
// first needs each message.
type Stream struct {
	used int64 // Streams.clock when last asked for; Streams.mu is held

	mu   sync.Mutex
	c    compressor
	msgs [][]byte
	err  error
	size atomic.Int64
}

// Message returns message i of the stream compressed, compressing p, the
// message itself, when no connection did before. Every connection asks for
// its messages from 0 up, so i is never more than one past the last message
// compressed. The result is shared: it must not be modified.
func (st *Stream) Message(i int, p []byte) ([]byte, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if i < len(st.msgs) {
		return st.msgs[i], nil
	}
	if st.err != nil {
		return nil, st.err
	}
	if i > len(st.msgs) {
		return nil, fmt.Errorf("deflate: stream message %d asked for before message %d", i, len(st.msgs))
	}
	out, err := st.c.compress(p)
	if err != nil {
		st.err = err
		return nil, err
	}
	msg := append([]byte(nil), out...)
	st.msgs = append(st.msgs, msg)
	st.size.Add(int64(len(msg)))
	return msg, nil
}
