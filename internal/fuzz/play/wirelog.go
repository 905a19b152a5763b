package play

import (
	"fmt"
	"strings"
	"sync"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// WireLog is the octets exchanged in one execution, in the order the
// fuzzer wrote and read them. It keeps the start of each write and read,
// the first and the last keptEntries of them, and formats them only when
// shown.
type WireLog struct {
	mu      sync.Mutex
	entries []logEntry
	last    [keptEntries]logEntry // a ring of the latest entries past the first
	skipped int                   // entries past the first, in last or dropped
}

// keptEntries is how many entries the log keeps at its start and at its end.
const keptEntries = 60

// logEntry is a write (tx), a read or an event (note).
type logEntry struct {
	tx   bool
	n    int
	head []byte
	note string
}

// shownOctets is how much of a write or read the log keeps.
const shownOctets = 64

func (l *WireLog) add(e logEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) < keptEntries {
		l.entries = append(l.entries, e)
		return
	}
	l.last[l.skipped%keptEntries] = e
	l.skipped++
}

// note logs an event.
func (l *WireLog) note(format string, args ...any) {
	l.add(logEntry{note: fmt.Sprintf(format, args...)})
}

// tx logs a write of the fuzzer.
func (l *WireLog) tx(p []byte) {
	l.add(logEntry{tx: true, n: len(p), head: append([]byte(nil), p[:min(len(p), shownOctets+1)]...)})
}

// rx logs a read from the peer.
func (l *WireLog) rx(p []byte) {
	l.add(logEntry{n: len(p), head: append([]byte(nil), p[:min(len(p), shownOctets+1)]...)})
}

// String returns the log, a line per write, read or event.
func (l *WireLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var lines []string
	for _, e := range l.entries {
		lines = append(lines, e.String())
	}
	if l.skipped > keptEntries {
		lines = append(lines, fmt.Sprintf("... %d writes and reads left out", l.skipped-keptEntries))
	}
	for i := max(0, l.skipped-keptEntries); i < l.skipped; i++ {
		lines = append(lines, l.last[i%keptEntries].String())
	}
	return strings.Join(lines, "\n")
}

func (e logEntry) String() string {
	switch {
	case e.note != "":
		return e.note
	case e.tx:
		return fmt.Sprintf("TX %5d octets: %s", e.n, wirelog.Hex(e.head))
	}
	return fmt.Sprintf("RX %5d octets: %s", e.n, wirelog.Hex(e.head))
}
