package deflate

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// Known remembers compressed messages that were found to decompress to the
// content their receiver expected, so that the same compressed octets
// arriving in the same state need not be decompressed again. Cases that send
// the same message stream to the same peer (12.1.10 and 12.1.15-18 differ
// only in how the fuzzer fragments its frames) get the same echoes back.
//
// An entry is keyed by a SHA-256 chain over everything that decides what a
// message decompresses to: the receiving direction's settings and limit, the
// message's compressed octets and, with context takeover, the chain of every
// message before it on the connection. Its value is the tag the receiver
// gave the expected content; a hit needs the same tag again. It is safe for
// concurrent use by many codecs.
type Known struct {
	mu   sync.Mutex
	max  int
	seen map[[sha256.Size]byte]any
}

// NewKnown returns a memo of at most max entries; it starts afresh when full.
func NewKnown(max int) *Known {
	return &Known{max: max, seen: make(map[[sha256.Size]byte]any)}
}

func (k *Known) has(key [sha256.Size]byte, tag any) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	t, ok := k.seen[key]
	return ok && t == tag
}

func (k *Known) add(key [sha256.Size]byte, tag any) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.seen) >= k.max {
		clear(k.seen)
	}
	k.seen[key] = tag
}

// Remember makes the codec consult and fill k when it decompresses
// messages it was told to Expect.
func (c *Codec) Remember(k *Known) { c.known = k }

// Expect says what the next message from the peer should decompress to, p,
// and names that content with tag, a comparable value that is equal for
// equal contents only (for instance where in a data set the message was
// cut). It is forgotten at the end of the next message.
func (c *Codec) Expect(p []byte, tag any) { c.expect, c.tag = p, tag }

// chainKey is the key of the message in c.in: its octets after the chain of
// the messages before it (with context takeover) and the settings.
func (c *Codec) chainKey() [sha256.Size]byte {
	h := sha256.New()
	var settings [17]byte
	binary.BigEndian.PutUint64(settings[:8], uint64(c.recv.windowBits))
	binary.BigEndian.PutUint64(settings[8:16], uint64(c.Limit))
	if c.recv.noContextTakeover {
		settings[16] = 1
	} else {
		h.Write(c.chain[:])
	}
	h.Write(settings[:])
	h.Write(c.in.Bytes())
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}
