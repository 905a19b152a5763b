package runner

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"sync/atomic"
	"unicode/utf8"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/corpus"
	"github.com/wsfuzz/autobahn/internal/deflate"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/report"
)

// shared holds what the compression cases of the process share: cases that
// send the same messages with the same settings compress them once, and
// recognise echoes that a peer sent before in the same state without
// decompressing them again. Neither changes an octet on the wire or a
// verdict; both only spare the fuzzer work.
var shared atomic.Pointer[sharedCompression]

type sharedCompression struct {
	streams *deflate.Streams
	echoes  *deflate.Known
}

const (
	sharedBudget = 128 << 20 // octets of compressed messages kept
	knownEchoes  = 1 << 18   // echoes remembered, about 24 MiB
)

func init() { ForgetShared() }

// ForgetShared drops the shared compressed streams and known echoes, so
// that a measurement starts as a fresh process does.
func ForgetShared() {
	shared.Store(&sharedCompression{deflate.NewStreams(sharedBudget), deflate.NewKnown(knownEchoes)})
}

// streamName names a compression case's message stream: every case with
// the same data set and message length sends the same messages.
type streamName struct {
	corpus string
	length int
}

// contentTag names the content of one message: where in the data set it
// was cut.
type contentTag struct {
	corpus      string
	ptr, length int
}

// deflateState is the message stream of a compression case.
type deflateState struct {
	data *corpus.Corpus
	// codec is the connection's permessage-deflate, and stream the shared
	// compressed messages; both nil when the compression is not ours.
	codec  *deflate.Codec
	stream *deflate.Stream
	// ptr is the read pointer that walks around the data, in the units
	// messages are cut in (characters for text).
	ptr int
	// sent is the message in flight.
	sent []byte
	// ahead brings the next message, cut and compressed on a goroutine of
	// the connection while the peer echoes the one in flight.
	ahead chan nextMessage
	// wrap are the buffers of messages that wrap around the end of the
	// data: one for the message in flight, one for the next.
	wrap [2][]byte
	// traffic is the snapshot taken when the last echo came back.
	traffic *report.TrafficStats
}

// nextMessage is a message cut and compressed ahead.
type nextMessage struct {
	payload, compressed []byte
	err                 error
	// start and ptr are the read pointer before and after the message.
	start, ptr int
	// wrap is the wrap buffer the message was given, perhaps grown.
	wrap []byte
}

// requests are the case's permessage-deflate parameters; nil for a case
// that negotiates nothing.
func (r *Runner) requests() []deflate.Request {
	if r.Case.Compression == nil {
		return nil
	}
	out := make([]deflate.Request, len(r.Case.Compression.Requests))
	for i, q := range r.Case.Compression.Requests {
		out[i] = deflate.Request{NoContextTakeover: q.NoContextTakeover, MaxWindowBits: q.MaxWindowBits}
	}
	return out
}

// NegotiateServer answers the client's extension offers as the real fuzzer
// does: every permessage-deflate offer must be valid, and only compression
// cases accept one.
func (r *Runner) NegotiateServer(offers string) (string, engine.Compression, error) {
	answer, codec, err := deflate.NegotiateServer(offers, r.requests())
	if err != nil || codec == nil {
		return "", nil, err
	}
	codec.Remember(shared.Load().echoes)
	return answer, codec, nil
}

// Offer is the client's Sec-WebSocket-Extensions: permessage-deflate offers
// in compression cases only.
func (r *Runner) Offer() string { return deflate.ClientOffers(r.requests()) }

// NegotiateClient takes the server's answer; a case that offered nothing
// refuses any extension.
func (r *Runner) NegotiateClient(accepted string) (engine.Compression, error) {
	codec, err := deflate.NegotiateClient(accepted, r.Case.Compression != nil)
	if err != nil || codec == nil {
		return nil, err
	}
	codec.Remember(shared.Load().echoes)
	return codec, nil
}

// openCompression starts a compression case: without a negotiated
// permessage-deflate the case is UNIMPLEMENTED and the fuzzer closes; else
// the first message goes out and the case has its time limit.
func (r *Runner) openCompression(c *engine.Conn) {
	x := r.Case.Compression
	c.SetWirelog(false, true)
	c.SetAutoFragmentSize(x.AutoFragment)
	normal := frame.CloseNormal
	if c.Compression() == nil {
		r.behavior = report.Unimplemented
		c.SendClose(&normal, "")
		return
	}
	r.behavior = report.Failed
	data, ok := corpus.ByKey(x.Corpus)
	if !ok {
		r.result = fmt.Sprintf("harness: unknown data set %q", x.Corpus)
		c.SendClose(&normal, "")
		return
	}
	r.result = fmt.Sprintf("Case did not finish within %d seconds.", int(x.Wait.Seconds()))
	r.deflate = &deflateState{data: data, ahead: make(chan nextMessage, 1)}
	if codec, ok := c.Compression().(*deflate.Codec); ok {
		r.deflate.codec = codec
		r.deflate.stream = shared.Load().streams.Stream(streamName{x.Corpus, x.Length}, codec)
	}
	c.CloseAfter(x.Wait)
	r.count = 0
	r.prepare(c)
	r.sendCompressed(c)
}

// prepare cuts the next message, Length units from the read pointer, and
// compresses it on a goroutine of the connection, so that this happens
// while the peer echoes the message in flight. Compression is sequential
// (a message may refer to the ones before it): only one message is
// prepared at a time, after the one before it was sent, so the frames are
// those of compressing every message just before sending it. The shared
// stream gives the same octets, compressed once for all cases sending it.
func (r *Runner) prepare(c *engine.Conn) {
	x, s := r.Case.Compression, r.deflate
	codec, stream, data, ptr, wrap, i := c.Compression(), s.stream, s.data, s.ptr, s.wrap[r.count%2], r.count
	c.Go(func() {
		m := nextMessage{start: ptr}
		m.payload, m.ptr, m.wrap = cut(data, ptr, x.Length, wrap)
		if stream != nil {
			m.compressed, m.err = stream.Message(i, m.payload)
		} else {
			m.compressed, m.err = codec.CompressMessage(m.payload)
		}
		s.ahead <- m
	})
}

// sendCompressed sends the prepared message, tells the codec to expect it
// back, and prepares the one after it.
func (r *Runner) sendCompressed(c *engine.Conn) {
	x, s := r.Case.Compression, r.deflate
	m := <-s.ahead
	s.sent, s.ptr, s.wrap[r.count%2] = m.payload, m.ptr, m.wrap
	if m.err == nil {
		if s.codec != nil {
			s.codec.Expect(m.payload, contentTag{x.Corpus, m.start, x.Length})
		}
		_ = c.SendCompressedMessage(m.payload, m.compressed, x.Binary, 0, false)
	}
	r.count++
	if r.count < x.Count {
		r.prepare(c)
	}
}

// cut returns length units of data from the read pointer ptr, wrapping
// around the end of the data, and the pointer after them. A message that
// wraps around is copied into wrap, which is returned too (perhaps grown).
func cut(data *corpus.Corpus, ptr, length int, wrap []byte) (msg []byte, next int, buf []byte) {
	n := data.Len()
	to := (ptr + length) % n
	if to > ptr {
		return data.Slice(ptr, to), to, wrap
	}
	buf = append(append(wrap[:0], data.Slice(ptr, n)...), data.Slice(0, to)...)
	return buf, to, buf
}

// checkCompression checks an echo. A mismatch fails the case at once;
// after Count good echoes it passes with the traffic statistics of that
// moment.
func (r *Runner) checkCompression(c *engine.Conn, payload []byte, binary bool) {
	x, s := r.Case.Compression, r.deflate
	if s == nil {
		return // nothing was sent
	}
	if mismatch := echoMismatch(x, s.sent, payload, binary); mismatch != "" {
		r.behavior = report.Failed
		r.result = mismatch
	} else if r.count < x.Count {
		r.sendCompressed(c)
		return
	} else {
		r.behavior = report.OK
		r.result = "Ok, received all echo'ed messages in time."
		s.traffic = trafficStats(c.Traffic())
	}
	c.SetWirelog(true, true)
	normal := frame.CloseNormal
	c.SendClose(&normal, "")
}

// echoMismatch says how an echo differs from the message sent, with the
// real fuzzer's checks in its order (type, length in characters for text,
// SHA-1) and its words; "" when it is the same message.
func echoMismatch(x *cases.Compression, sent, payload []byte, binary bool) string {
	if binary == x.Binary && bytes.Equal(payload, sent) {
		return "" // the same octets: same length and digest
	}
	length := len(payload)
	if !x.Binary {
		length = utf8.RuneCount(payload)
	}
	switch {
	case binary != x.Binary:
		return fmt.Sprintf("Echo'ed message type differs from what I sent (got binary %s, expected binary %s).", pyBool(binary), pyBool(x.Binary))
	case length != x.Length:
		return fmt.Sprintf("Echo'ed message length differs from what I sent (got length %d, expected length %d).", length, x.Length)
	}
	return fmt.Sprintf("Echo'ed message contents differs from what I sent (got SHA1 %x, expected SHA1 %x).", sha1.Sum(payload), sha1.Sum(sent))
}

// trafficStats is the report form of the connection's counters, with the
// ratios the real fuzzer derives: compression as WebSocket-level octets per
// application-level octet, overhead as header octets per WebSocket-level
// octet (null when undefined).
func trafficStats(t engine.Traffic) *report.TrafficStats {
	return &report.TrafficStats{
		OutgoingOctetsWireLevel:        t.OutgoingOctetsWireLevel,
		OutgoingOctetsWebSocketLevel:   t.OutgoingOctetsWebSocketLevel,
		OutgoingOctetsAppLevel:         t.OutgoingOctetsAppLevel,
		OutgoingCompressionRatio:       ratio(t.OutgoingOctetsWebSocketLevel, t.OutgoingOctetsAppLevel),
		OutgoingWebSocketOverhead:      ratio(t.OutgoingOctetsWireLevel-t.OutgoingOctetsWebSocketLevel, t.OutgoingOctetsWebSocketLevel),
		OutgoingWebSocketFrames:        t.OutgoingWebSocketFrames,
		OutgoingWebSocketMessages:      t.OutgoingWebSocketMessages,
		PreopenOutgoingOctetsWireLevel: t.PreopenOutgoingOctetsWire,
		IncomingOctetsWireLevel:        t.IncomingOctetsWireLevel,
		IncomingOctetsWebSocketLevel:   t.IncomingOctetsWebSocketLevel,
		IncomingOctetsAppLevel:         t.IncomingOctetsAppLevel,
		IncomingCompressionRatio:       ratio(t.IncomingOctetsWebSocketLevel, t.IncomingOctetsAppLevel),
		IncomingWebSocketOverhead:      ratio(t.IncomingOctetsWireLevel-t.IncomingOctetsWebSocketLevel, t.IncomingOctetsWebSocketLevel),
		IncomingWebSocketFrames:        t.IncomingWebSocketFrames,
		IncomingWebSocketMessages:      t.IncomingWebSocketMessages,
		PreopenIncomingOctetsWireLevel: t.PreopenIncomingOctetsWire,
	}
}

func ratio(num, den int64) *float64 {
	if den <= 0 {
		return nil
	}
	v := float64(num) / float64(den)
	return &v
}

// trafficStats is the traffic snapshot of a compression case that passed.
func (r *Runner) trafficStats() *report.TrafficStats {
	if r.deflate == nil {
		return nil
	}
	return r.deflate.traffic
}
