package play

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// exchange plays s on conn, whose handshake is done (br holds what was read
// after it), and waits up to bound for the peer to end: a server must
// close the connection, a client must send a close frame or close it
// (then the fuzzer, as a server, closes first). ended, when not nil, gets
// the peer's panic or "" when its goroutine returns; returned tells
// whether it did. conn is closed on return.
func exchange(conn net.Conn, br *bufio.Reader, s script.Script, fuzzerIsClient bool, bound time.Duration, ended <-chan string, log *WireLog) (obs oracle.Observation, returned bool) {
	maxChops := 0
	if _, inMemory := conn.(*Conn); !inMemory {
		maxChops = tcpMaxChops
	}
	writes := s.WritesLimited(fuzzerIsClient, maxChops)
	// An echo peer sends about what it is sent: room for that up front
	// spares the reader growing its buffer step by step.
	size := 0
	for _, w := range writes {
		size += len(w.Data)
	}
	rd := startReading(br, log, size+256)
	write(conn, writes, log)
	timer := time.NewTimer(bound)
	defer timer.Stop()
	want := rd.closeSeen
	if fuzzerIsClient {
		want = rd.done
	}
wait:
	for {
		select {
		case <-want:
			break wait
		case <-rd.done:
			break wait
		case v := <-ended:
			returned, ended = true, nil
			if obs.Panic = v; v != "" {
				break wait
			}
		case <-timer.C:
			obs.Hang = true
			if fuzzerIsClient {
				obs.HangDetail = fmt.Sprintf("the server had not closed the connection %v after the script ended", bound)
			} else {
				obs.HangDetail = fmt.Sprintf("the client had neither sent a close frame nor closed the connection %v after the script ended", bound)
			}
			break wait
		}
	}
	conn.Close()
	<-rd.done
	obs.Received, obs.Reset = rd.received, rd.reset
	return obs, returned
}

// tcpMaxChops bounds the writes per frame on a TCP connection, where each
// is a system call (and chops may merge on the way anyway).
const tcpMaxChops = 32

// write makes the writes, stopping at the first that fails (the peer has
// closed).
func write(conn net.Conn, writes []script.Write, log *WireLog) {
	for _, w := range writes {
		if w.HalfClose {
			log.note("TX half-close")
			if hc, ok := conn.(halfCloser); ok {
				hc.CloseWrite()
			}
			return
		}
		log.tx(w.Data)
		if _, err := conn.Write(w.Data); err != nil {
			log.note("TX failed: %v", err)
			return
		}
	}
}

// reading collects what the peer sends until the connection ends.
type reading struct {
	received  []byte // read only after done is closed
	reset     bool   // the peer reset the connection; read only after done is closed
	closeSeen chan struct{}
	done      chan struct{}
}

// startReading reads in a goroutine of its own, into a buffer of capacity
// size at first.
func startReading(br *bufio.Reader, log *WireLog, size int) *reading {
	rd := &reading{received: make([]byte, 0, size), closeSeen: make(chan struct{}), done: make(chan struct{})}
	go rd.run(br, log)
	return rd
}

func (rd *reading) run(br *bufio.Reader, log *WireLog) {
	defer close(rd.done)
	var once sync.Once
	parsed := 0
	buf := make([]byte, 4<<10)
	for {
		n, err := br.Read(buf)
		if n > 0 {
			log.rx(buf[:n])
			rd.received = append(rd.received, buf[:n]...)
			for {
				op, n := oracle.NextFrame(rd.received[parsed:])
				if n == 0 {
					break
				}
				parsed += n
				if op == frame.OpClose {
					once.Do(func() { close(rd.closeSeen) })
				}
			}
		}
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.note("RX end: %v", err)
			}
			rd.reset = errors.Is(err, syscall.ECONNRESET)
			return
		}
	}
}
