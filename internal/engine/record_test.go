package engine

import (
	"testing"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// A wire log stops growing at its bound, says so in its last entry, and the
// statistics still count everything.
func TestWirelogIsBounded(t *testing.T) {
	r := newRecord(nil)
	n := maxWirelog + 100
	for i := 0; i < n; i++ {
		r.rxOctet([]byte("x"))
		r.frame(r.rxFrames, 1, func() wirelog.Entry { return wirelog.RxFrameEntry(1, true, 0, nil, []byte("x")) })
	}
	r.add(wirelog.TimerEntry(wirelog.Kill, 1), true)
	s := r.Snapshot()
	if len(s.Wirelog) != maxWirelog {
		t.Fatalf("wire log has %d entries, want the bound %d", len(s.Wirelog), maxWirelog)
	}
	if last := s.Wirelog[len(s.Wirelog)-1]; last.Kind != wirelog.Mode || last.Enabled {
		t.Fatalf("last entry %+v, want the log switched off", last)
	}
	if s.RxOctetStats[1] != n || s.RxFrameStats[1] != n {
		t.Fatalf("statistics %v %v, want %d each", s.RxOctetStats, s.RxFrameStats, n)
	}
}
