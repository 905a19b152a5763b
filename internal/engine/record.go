package engine

import (
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/internal/chop"
	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// Record is what a connection observed on the wire: the wire log and the
// octet and frame statistics. The reading and writing goroutines both add to
// it, so it is guarded by a lock.
type Record struct {
	mu       sync.Mutex
	logOn    bool
	log      []wirelog.Entry
	rxOctets chop.Stats
	txOctets chop.Stats
	rxFrames chop.Stats
	txFrames chop.Stats
	trace    func(wirelog.Entry) // Options.Trace
}

// maxWirelog bounds a connection's wire log: once full, the log ends with
// an entry saying it was switched off and keeps nothing more, so that a peer
// that floods cannot grow it without end. The longest log of a well-behaved
// peer in the catalog has a few hundred entries.
const maxWirelog = 1 << 16

func newRecord(trace func(wirelog.Entry)) *Record {
	return &Record{logOn: true, trace: trace, rxOctets: chop.Stats{}, txOctets: chop.Stats{}, rxFrames: chop.Stats{}, txFrames: chop.Stats{}}
}

// add appends e when the wire log is on, or always when force is set (timer
// entries are always logged).
func (r *Record) add(e wirelog.Entry, force bool) {
	r.mu.Lock()
	if r.logOn || force {
		r.append(e)
	}
	r.mu.Unlock()
}

// append adds e to the log while there is room; r.mu is held.
func (r *Record) append(e wirelog.Entry) {
	switch {
	case len(r.log) < maxWirelog-1:
		r.log = append(r.log, e)
	case len(r.log) == maxWirelog-1:
		r.log = append(r.log, wirelog.ModeEntry(false))
	}
}

// full reports whether the log has no more room; r.mu is held.
func (r *Record) full() bool { return len(r.log) >= maxWirelog }

func (r *Record) rxOctet(p []byte) {
	r.mu.Lock()
	r.rxOctets.Add(len(p))
	if r.logOn && !r.full() {
		r.append(wirelog.RxOctetsEntry(p))
	}
	r.mu.Unlock()
}

func (r *Record) txOctet(p []byte, sync bool) {
	r.mu.Lock()
	r.txOctets.Add(len(p))
	if r.logOn && !r.full() {
		r.append(wirelog.TxOctetsEntry(p, sync))
	}
	r.mu.Unlock()
}

func (r *Record) frame(stats chop.Stats, op byte, entry func() wirelog.Entry) {
	r.mu.Lock()
	stats.Add(int(op))
	logged := r.logOn && !r.full()
	var e wirelog.Entry
	if logged || r.trace != nil {
		e = entry()
	}
	if logged {
		r.append(e)
	}
	r.mu.Unlock()
	if r.trace != nil {
		r.trace(e)
	}
}

// setLog switches the wire log; announce adds a WLM entry when the mode changes.
func (r *Record) setLog(on, announce bool) {
	r.mu.Lock()
	if announce && on != r.logOn {
		r.append(wirelog.ModeEntry(on))
	}
	r.logOn = on
	r.mu.Unlock()
}

// Snapshot is a copy of a Record at one moment.
type Snapshot struct {
	CreateWirelog bool
	Wirelog       []wirelog.Entry
	RxOctetStats  chop.Stats
	TxOctetStats  chop.Stats
	RxFrameStats  chop.Stats
	TxFrameStats  chop.Stats
}

// Snapshot copies the record.
func (r *Record) Snapshot() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Snapshot{
		CreateWirelog: r.logOn,
		Wirelog:       append([]wirelog.Entry(nil), r.log...),
		RxOctetStats:  r.rxOctets.Clone(),
		TxOctetStats:  r.txOctets.Clone(),
		RxFrameStats:  r.rxFrames.Clone(),
		TxFrameStats:  r.txFrames.Clone(),
	}
}

// Flags are the closing-behaviour facts of a connection, named as in
// Autobahn reports.
type Flags struct {
	IsServer                       bool
	ConnectionWasOpen              bool
	ClosedByMe                     bool
	FailedByMe                     bool
	DroppedByMe                    bool
	WasClean                       bool
	WasNotCleanReason              *string
	WasServerConnectionDropTimeout bool
	WasOpenHandshakeTimeout        bool
	WasCloseHandshakeTimeout       bool
	LocalCloseCode                 *int
	LocalCloseReason               []byte // nil when none was sent
	RemoteCloseCode                *int
	RemoteCloseReason              *string
}

// Traffic counts octets, frames and messages at the wire, WebSocket and
// application level while the connection is open, and the octets before it
// opened, as the real fuzzer's traffic statistics do.
type Traffic struct {
	OutgoingOctetsWireLevel      int64
	OutgoingOctetsWebSocketLevel int64
	OutgoingOctetsAppLevel       int64
	OutgoingWebSocketFrames      int64
	OutgoingWebSocketMessages    int64
	IncomingOctetsWireLevel      int64
	IncomingOctetsWebSocketLevel int64
	IncomingOctetsAppLevel       int64
	IncomingWebSocketFrames      int64
	IncomingWebSocketMessages    int64
	PreopenOutgoingOctetsWire    int64
	PreopenIncomingOctetsWire    int64
}

// Timing says when the connection opened and when TCP was lost.
type Timing struct {
	Opened time.Time // zero when the handshake never completed
	Lost   time.Time
}
