package chop

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSplit(t *testing.T) {
	got := Split([]byte("abcdefg"), 3)
	if len(got) != 3 || string(got[0]) != "abc" || string(got[2]) != "g" {
		t.Fatalf("Split = %q", got)
	}
	if got := Split([]byte("ab"), 0); len(got) != 1 {
		t.Fatalf("chop 0 must give one piece, got %q", got)
	}
}

func TestStats(t *testing.T) {
	s := Stats{}
	s.Add(1)
	s.Add(1)
	s.Add(206)
	if s.Total() != 208 || s.Count() != 3 || s[1] != 2 {
		t.Fatalf("stats %v total %d count %d", s, s.Total(), s.Count())
	}
}

// pipe returns a connected TCP pair on loopback.
func pipe(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func TestWriterChopsAndOrders(t *testing.T) {
	a, b := pipe(t)
	defer b.Close()
	var mu sync.Mutex
	var writes []string
	var syncs []bool
	w := NewWriter(a, DefaultGap, func(p []byte, sync bool) {
		mu.Lock()
		writes = append(writes, string(p))
		syncs = append(syncs, sync)
		mu.Unlock()
	})
	w.Send([]byte("abcde"), false, 2)
	w.Send([]byte("XY"), false, 0) // behind the queue: queued too, not sync
	w.Send([]byte("s"), true, 0)
	w.Close(false, time.Second)
	<-w.Done()
	got, _ := io.ReadAll(b)
	// queued elements are dropped on close only if not yet written; give the
	// writer its chance by checking what the log says was written.
	mu.Lock()
	defer mu.Unlock()
	var all bytes.Buffer
	for _, s := range writes {
		all.WriteString(s)
	}
	if all.String() != string(got) {
		t.Fatalf("log says %q was written, peer read %q", all.String(), got)
	}
	for i, s := range writes {
		if len(s) > 2 {
			t.Errorf("write %d (%q) is longer than the chop size", i, s)
		}
	}
}

// Direct writes that wait together go out joined, but in order, and the
// write callback still hears of each one as it was sent.
func TestWriterDirectWritesKeepOrderAndCallbacks(t *testing.T) {
	a, b := pipe(t)
	defer b.Close()
	var mu sync.Mutex
	var writes []string
	w := NewWriter(a, DefaultGap, func(p []byte, sync bool) {
		mu.Lock()
		writes = append(writes, string(p))
		mu.Unlock()
	})
	var want []string
	for i := 0; i < 500; i++ {
		p := strings.Repeat(string(rune('a'+i%26)), 1+i%37)
		want = append(want, p)
		w.Send([]byte(p), false, 0)
	}
	w.Close(false, time.Second)
	<-w.Done()
	got, _ := io.ReadAll(b)
	if string(got) != strings.Join(want, "") {
		t.Fatalf("peer read %d octets, not the %d sent in order", len(got), len(strings.Join(want, "")))
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(writes, want) {
		t.Fatalf("callbacks heard of %d writes, not the %d sent, one by one in order", len(writes), len(want))
	}
}

// countingConn counts the writes made on a connection.
type countingConn struct {
	net.Conn
	mu     sync.Mutex
	writes []int
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes = append(c.writes, len(p))
	c.mu.Unlock()
	return c.Conn.Write(p)
}

// Direct writes waiting in a row make one write on the connection, up to
// maxBatch octets; a queued element is a write of its own.
func TestWriterJoinsWaitingDirectWrites(t *testing.T) {
	a, b := pipe(t)
	defer b.Close()
	conn := &countingConn{Conn: a}
	w := NewWriter(conn, DefaultGap, nil)
	w.Hold()
	for range 3 {
		w.Send([]byte("abc"), false, 0)
	}
	w.Send(bytes.Repeat([]byte("x"), maxBatch), false, 0) // too big to join the three
	w.Send([]byte("s"), true, 0)
	w.Release()
	w.Close(false, time.Second)
	<-w.Done()
	got, _ := io.ReadAll(b)
	if want := "abcabcabc" + strings.Repeat("x", maxBatch) + "s"; string(got) != want {
		t.Fatalf("peer read %d octets, want %d in order", len(got), len(want))
	}
	conn.mu.Lock()
	defer conn.mu.Unlock()
	if want := []int{9, maxBatch, 1}; !slices.Equal(conn.writes, want) {
		t.Fatalf("writes of %v octets, want %v", conn.writes, want)
	}
}

func TestWriterFlushesQueueBeforeClose(t *testing.T) {
	a, b := pipe(t)
	defer b.Close()
	var n int
	var mu sync.Mutex
	w := NewWriter(a, DefaultGap, func(p []byte, sync bool) { mu.Lock(); n++; mu.Unlock() })
	w.Send([]byte("0123456789"), false, 1)
	for w.Pending() {
		time.Sleep(time.Millisecond)
	}
	w.Send([]byte("direct"), false, 0)
	w.Close(false, time.Second)
	<-w.Done()
	got, _ := io.ReadAll(b)
	if string(got) != "0123456789direct" {
		t.Fatalf("peer read %q", got)
	}
	if n != 11 {
		t.Fatalf("%d writes, want 10 chops and 1 direct write", n)
	}
}

func TestWriterAbortDropsEverything(t *testing.T) {
	a, b := pipe(t)
	defer b.Close()
	w := NewWriter(a, 50*time.Millisecond, nil)
	w.Send(bytes.Repeat([]byte("x"), 100), false, 1)
	w.Close(true, 0)
	select {
	case <-w.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("abort must end the writer promptly")
	}
	got, _ := io.ReadAll(b)
	if len(got) > 2 {
		t.Fatalf("abort wrote %d octets", len(got))
	}
}

// A gap is short: most pauses of 10 µs last far less than the millisecond a
// sleep takes at the least. The median of many is measured, not their sum,
// so that a loaded machine taking the processor away now and then does not
// fail the test.
func TestPauseIsShort(t *testing.T) {
	took := make([]time.Duration, 201)
	for i := range took {
		start := time.Now()
		Pause(DefaultGap)
		took[i] = time.Since(start)
	}
	slices.Sort(took)
	if median := took[len(took)/2]; median > 500*time.Microsecond {
		t.Fatalf("the median of %d gaps of 10µs took %v", len(took), median)
	}
}

// What Send writes at once (a direct write, the first queued element of an
// idle writer) is told from Send itself, before it is written; the rest is
// told by the writer, in write order, before each write. A held writer
// writes nothing until released.
func TestWriterTellsBeforeWriting(t *testing.T) {
	a, b := net.Pipe() // a write blocks until the peer reads
	defer b.Close()
	var mu sync.Mutex
	var told []string
	w := NewWriter(a, DefaultGap, func(p []byte, sync bool) {
		mu.Lock()
		told = append(told, fmt.Sprintf("%s/%v", p, sync))
		mu.Unlock()
	})
	toldSoFar := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(told, " ")
	}
	w.Hold()
	w.Send([]byte("hs"), false, 0)
	w.Send([]byte("abcd"), false, 2)
	if got := toldSoFar(); got != "hs/false ab/true" {
		t.Fatalf("told at Send: %q, want the direct write and the first chop", got)
	}
	b.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if n, err := b.Read(make([]byte, 8)); err == nil {
		t.Fatalf("a held writer wrote %d octets", n)
	}
	b.SetReadDeadline(time.Time{})
	w.Release()
	got := make([]byte, 0, 6)
	buf := make([]byte, 8)
	for len(got) < 6 {
		n, err := b.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "hsabcd" {
		t.Fatalf("peer read %q", got)
	}
	if got := toldSoFar(); got != "hs/false ab/true cd/true" {
		t.Fatalf("told %q", got)
	}
	w.Close(true, 0)
	<-w.Done()
}
