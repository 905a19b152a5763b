package play

import (
	"fmt"
	"strings"
	"sync"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// WireLog is the octets exchanged in one execution, in the order the
// fuzzer wrote and read them.
type WireLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *WireLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

// tx logs a write of the fuzzer.
func (l *WireLog) tx(p []byte) { l.add("TX %5d octets: %s", len(p), wirelog.Hex(p)) }

// rx logs a read from the peer.
func (l *WireLog) rx(p []byte) { l.add("RX %5d octets: %s", len(p), wirelog.Hex(p)) }

// String returns the log, a line per write, read or event.
func (l *WireLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}
