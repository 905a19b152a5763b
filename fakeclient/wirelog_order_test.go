package fakeclient

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/wirelog"
	"github.com/wsfuzz/autobahn/report"
)

// frameSize is the octets a sent frame takes on the wire: header, mask key
// and payload (the fuzzer as client masks every frame).
func frameSize(e report.WireEntry) int {
	n := e.Len
	if e.RepeatLen != nil {
		n = *e.RepeatLen
	}
	size := 2 + n
	switch {
	case n > 65535:
		size += 8
	case n > 125:
		size += 2
	}
	if e.MaskHex != nil {
		size += 4
	}
	return size
}

// wireOrderProblem says how a wire log is out of wire order, or "" when it
// is not: the handshake request comes first; no octets are logged as sent
// before the frame they belong to; and the peer's answer to the fuzzer's
// close comes after the octets of that close.
func wireOrderProblem(r *report.Result) string {
	log := r.Wirelog
	if len(log) == 0 || log[0].Kind != wirelog.TxOctets || log[0].Len != len(r.HTTPRequest) {
		return fmt.Sprintf("the log does not start with the %d octets of the handshake request", len(r.HTTPRequest))
	}
	framed, sent, closeEnd := 0, 0, -1
	for i, e := range log[1:] {
		switch {
		case e.Kind == wirelog.TxFrame:
			framed += frameSize(e)
			if e.Opcode == frame.OpClose && closeEnd < 0 {
				closeEnd = framed
			}
		case e.Kind == wirelog.TxOctets:
			if sent += e.Len; sent > framed {
				return fmt.Sprintf("entry %d: %d octets logged as sent, only %d framed", i+1, sent, framed)
			}
		case e.Kind == wirelog.RxFrame && e.Opcode == frame.OpClose && r.ClosedByMe && closeEnd >= 0 && sent < closeEnd:
			return fmt.Sprintf("entry %d: the peer's close before the fuzzer's close was logged as sent (%d of %d octets)", i+1, sent, closeEnd)
		}
	}
	return ""
}

// The wire log is in wire order when the fuzzer is the client, in every
// case of many runs side by side (each loading the machine for the others):
// the handshake request was once logged after the server's answer to it,
// and octets after the answer to them.
func TestWirelogInWireOrderUnderLoad(t *testing.T) {
	ids, err := cases.Resolve([]string{"1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*"}, []string{"5.19", "5.20", "6.4.*"})
	if err != nil {
		t.Fatal(err)
	}
	url := gorillaEcho(t)
	const runs = 8
	parallel := max(2, runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var wg sync.WaitGroup
	bad, total := 0, 0
	start := time.Now()
	for w := range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for run := w; run < runs; run += parallel {
				results, err := Run(context.Background(), Config{URL: url, Agent: "echo", Cases: ids})
				mu.Lock()
				if err != nil {
					t.Errorf("run %d: %v", run+1, err)
				}
				for _, r := range results {
					total++
					if p := wireOrderProblem(r); p != "" {
						if bad++; bad <= 5 {
							t.Errorf("run %d, case %s: %s", run+1, r.ID, p)
						}
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d runs, %d at a time: %d reports in %v, %d out of wire order", runs, parallel, total, time.Since(start).Round(time.Millisecond), bad)
}
