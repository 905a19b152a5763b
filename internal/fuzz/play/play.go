// Package play drives a WebSocket peer through a fuzz script: a server
// given as an http.Handler over an in-memory connection (Pipe), or a client
// that dials a loopback listener. It plays the opening handshake, writes the
// script's frames with their chopping, reads what the peer sends, waits a
// bound for the peer to end the connection and to return, and hands the
// observation to package oracle.
//
// A panic of the handler or of the client function is recovered in the
// goroutine play runs it in and reported. A panic in a goroutine the peer
// starts itself cannot be recovered: it ends the process, which go test
// -fuzz records as a crash with its input (a finding still, without the
// oracle's report). A goroutine the peer leaves blocked after returning
// goes unseen; one still running when the bound passes is reported.
package play

import (
	"bufio"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
)

// DefaultBound is how long a peer may take to end the connection after the
// script, and to return after the connection is closed, before the run
// counts as a hang: far above the microseconds an execution takes, far
// below a second so that hangs cost little. Bound scales it.
const DefaultBound = 200 * time.Millisecond

// Bound returns d scaled for this build: times raceFactor under the race
// detector.
func Bound(d time.Duration) time.Duration { return d * raceFactor }

// Result is what one execution saw.
type Result struct {
	Obs oracle.Observation
	Log *WireLog
}

// halfCloser is a connection that can shut its writing side alone.
type halfCloser interface{ CloseWrite() error }

// newReader is the buffered reader the handshake and the frames are read
// through.
func newReader(r interface{ Read([]byte) (int, error) }) *bufio.Reader {
	return bufio.NewReaderSize(r, 4<<10)
}
