package hostile

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/internal/timebound"
	"github.com/wsfuzz/autobahn/report"
)

// role is the fuzzer's role against a hostile peer.
type role string

const (
	fuzzerClient role = "client" // the hostile peer is a server
	fuzzerServer role = "server" // the hostile peer is a client
)

// Reasons the engine records, as the real fuzzer words them.
const (
	openTimeout  = "peer did not finish (in time) the opening handshake"
	closeTimeout = "peer did not respond (in time) in closing handshake"
	dropTimeout  = "server did not drop TCP connection (in time)"
	peerDropped  = "peer dropped the TCP connection without previous WebSocket closing handshake"
)

// slack is what a case may take beyond the timers it relies on, on an idle
// machine: its work (up to 8 MiB sent, a flood read) and scheduling. Tests
// scale it with timebound.Scale, for a loaded machine under the race
// detector.
const slack = 3 * time.Second

// want is what a hostile case must end with.
type want struct {
	behavior, behaviorClose string
	// reason is in the report's wasNotCleanReason; for a server-role case
	// that never names a case, in the error of RunCase.
	reason string
	// localCode is the close code the fuzzer sent (0: not checked).
	localCode int
	// noCase: the peer never completes a request naming the case, so the
	// fuzzing server cannot judge one and RunCase fails naming why.
	noCase bool
	// within bounds the case's time: the timers it relies on, plus slack.
	within time.Duration
}

// hostileCase is one hostile peer against the fuzzer in one role, in one case.
type hostileCase struct {
	peer   peer
	role   role
	caseID string
	want   want
}

const (
	failed   = "FAILED"
	ok       = "OK"
	unclean  = "UNCLEAN"
	byClient = "FAILED BY CLIENT"
)

// neverOpen is how a case ends whose handshake never completed.
func neverOpen(reason string, within time.Duration) want {
	return want{behavior: failed, behaviorClose: failed, reason: reason, within: within}
}

// hostileCases: 1.1.1 sends an empty text message and kills the connection
// after 1 s; 1.1.6 sends 65535 octets and kills after 10 s (so that a close
// timeout of 1 s runs alone); 2.1 sends a ping and closes after 1 s (a
// no-op once closing), so the close timers run alone; 9.1.5 sends 8 MiB in
// one frame, more than a peer that never reads can buffer. Expectations
// follow the real fuzzer's rules for the case's expected close.
var hostileCases = []hostileCase{
	// The fuzzer as client: the peer is a server.
	{silentHandshake, fuzzerClient, "1.1.1", neverOpen(openTimeout, 5*time.Second)},
	{garbage, fuzzerClient, "1.1.1", neverOpen(`bad HTTP response status line`, 0)},
	{endlessGarbage, fuzzerClient, "1.1.1", neverOpen("opening handshake header larger than 65536 octets", 0)},
	{wrongKey, fuzzerClient, "1.1.1", neverOpen("HTTP Sec-WebSocket-Accept bogus value", 0)},
	{http500, fuzzerClient, "1.1.1", neverOpen("WebSocket connection upgrade failed (500 Internal Server Error)", 0)},
	{halfHeader, fuzzerClient, "1.1.1", neverOpen(openTimeout, 5*time.Second)},
	{dribbleHandshake, fuzzerClient, "1.1.1", neverOpen(openTimeout, 5*time.Second)},
	{silentOpen, fuzzerClient, "1.1.1", want{failed, unclean, closeTimeout, 1001, false, 2 * time.Second}},
	{flood, fuzzerClient, "1.1.1", want{failed, unclean, closeTimeout, 1001, false, 2 * time.Second}},
	{flood, fuzzerClient, "9.1.5", want{failed, unclean, closeTimeout, 1000, false, time.Second}},
	{hugeLength, fuzzerClient, "2.1", want{failed, unclean, closeTimeout, 1009, false, time.Second}},
	{overLength, fuzzerClient, "2.1", want{failed, unclean, closeTimeout, 1002, false, time.Second}},
	{hugePing, fuzzerClient, "2.1", want{failed, unclean, closeTimeout, 1002, false, time.Second}},
	{dribbleFrame, fuzzerClient, "1.1.1", want{failed, unclean, closeTimeout, 1001, false, 2 * time.Second}},
	{resetMidFrame, fuzzerClient, "1.1.1", want{failed, failed, peerDropped, 0, false, 0}},
	{ignoresClose, fuzzerClient, "1.1.6", want{ok, unclean, closeTimeout, 1000, false, time.Second}},
	{keepsTCP, fuzzerClient, "1.1.6", want{ok, unclean, dropTimeout, 1000, false, time.Second}},
	// The server closes first and keeps TCP: nothing but the case's own
	// timers end it: the kill timer of 1.1.1, the hard limit (timers + 10 s)
	// for 2.1, whose close timer is a no-op once closing.
	{closesFirstKeepsTCP, fuzzerClient, "1.1.1", want{failed, failed, "", 1000, false, time.Second}},
	{closesFirstKeepsTCP, fuzzerClient, "2.1", want{failed, failed, "harness: case still running after its limit of 11s", 1000, false, 11 * time.Second}},
	{badReason, fuzzerClient, "1.1.1", want{failed, unclean, peerDropped, 1007, false, 0}},
	{closeLength1, fuzzerClient, "2.1", want{failed, unclean, dropTimeout, 1002, false, time.Second}},

	// The fuzzer as server: the peer is a client.
	{silentHandshake, fuzzerServer, "1.1.1", want{reason: openTimeout, noCase: true, within: 5 * time.Second}},
	{garbage, fuzzerServer, "1.1.1", want{reason: "bad HTTP request status line", noCase: true}},
	{endlessGarbage, fuzzerServer, "1.1.1", want{reason: "opening handshake header larger than 65536 octets", noCase: true}},
	{wrongKey, fuzzerServer, "1.1.1", want{reason: "bad Sec-WebSocket-Key", noCase: true}},
	{halfHeader, fuzzerServer, "1.1.1", want{reason: openTimeout, noCase: true, within: 5 * time.Second}},
	{dribbleHandshake, fuzzerServer, "1.1.1", want{reason: openTimeout, noCase: true, within: 5 * time.Second}},
	{silentOpen, fuzzerServer, "1.1.1", want{failed, unclean, closeTimeout, 1001, false, 2 * time.Second}},
	{flood, fuzzerServer, "1.1.1", want{failed, unclean, closeTimeout, 1001, false, 2 * time.Second}},
	{flood, fuzzerServer, "9.1.5", want{failed, unclean, closeTimeout, 1000, false, time.Second}},
	{hugeLength, fuzzerServer, "2.1", want{failed, unclean, closeTimeout, 1009, false, time.Second}},
	{overLength, fuzzerServer, "2.1", want{failed, unclean, closeTimeout, 1002, false, time.Second}},
	{hugePing, fuzzerServer, "2.1", want{failed, unclean, closeTimeout, 1002, false, time.Second}},
	{dribbleFrame, fuzzerServer, "1.1.1", want{failed, unclean, closeTimeout, 1001, false, 2 * time.Second}},
	{resetMidFrame, fuzzerServer, "1.1.1", want{failed, failed, peerDropped, 0, false, 0}},
	{ignoresClose, fuzzerServer, "1.1.6", want{ok, unclean, closeTimeout, 1000, false, time.Second}},
	// A server drops TCP at once after the close handshake, whoever started it.
	{keepsTCP, fuzzerServer, "1.1.6", want{ok, ok, "", 1000, false, 0}},
	{closesFirstKeepsTCP, fuzzerServer, "1.1.1", want{failed, failed, "", 1000, false, 0}},
	{badReason, fuzzerServer, "1.1.1", want{failed, unclean, peerDropped, 1007, false, 0}},
	// The length-1 close counts as the reply to the fuzzer's 1002, so the
	// server sees a clean close: only the missing pong fails the case.
	{closeLength1, fuzzerServer, "2.1", want{failed, ok, "", 1002, false, 0}},
}

// nextCase runs after every hostile case against a well-behaved peer: it must
// run, and pass.
const nextCase = "1.1.2"

// outcome is what a hostile case ended with, and the case after it.
type outcome struct {
	hc      hostileCase
	label   string
	res     *report.Result
	err     error
	elapsed time.Duration
	next    *report.Result
	nextErr error
}

// TestHostilePeers runs every hostile case at once (each waits mostly on
// timers, so together they take about as long as the longest), each in its
// own goroutines labelled with its name; then checks each.
func TestHostilePeers(t *testing.T) {
	outcomes := make([]outcome, len(hostileCases))
	var wg sync.WaitGroup
	for i, hc := range hostileCases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcomes[i] = runHostile(fmt.Sprintf("%s/%s/%s", hc.role, hc.caseID, hc.peer.name), hc)
		}()
	}
	wg.Wait()
	for _, o := range outcomes {
		t.Run(o.label, func(t *testing.T) {
			checkOutcome(t, o)
			checkNext(t, o)
			if o.res != nil && o.next != nil {
				checkReports(t, o.res, o.next)
			}
			if leaks := leaked(o.label, timebound.Scale(t, 3*time.Second)); leaks != "" {
				t.Errorf("goroutines left running after the case:\n%s", leaks)
			}
		})
	}
	t.Logf("%-7s %-6s %-50s %-9s %-14s %-6s %s", "fuzzer", "case", "peer", "behavior", "behaviorClose", "time", "what the report says")
	for _, o := range outcomes {
		b, bc, why := "-", "-", ""
		if o.res != nil {
			b, bc, why = string(o.res.Behavior), string(o.res.BehaviorClose), optString(o.res.WasNotCleanReason)
		} else if o.err != nil {
			b, why = "no case", o.err.Error()
		}
		t.Logf("%-7s %-6s %-50s %-9s %-14s %-6s %s", o.hc.role, o.hc.caseID, o.hc.peer.name, b, bc,
			fmt.Sprintf("%.1fs", o.elapsed.Seconds()), why)
	}
}

// runHostile runs one hostile case, then the next case against a
// well-behaved peer through the same listener or server, with every
// goroutine it starts labelled hostile=label.
func runHostile(label string, hc hostileCase) outcome {
	var o outcome
	pprof.Do(context.Background(), pprof.Labels("hostile", label), func(context.Context) {
		if hc.role == fuzzerClient {
			o = againstServer(hc)
		} else {
			o = againstClient(hc)
		}
	})
	o.label = label
	return o
}

func checkOutcome(t *testing.T, o outcome) {
	t.Helper()
	w := o.hc.want
	if limit := w.within + timebound.Scale(t, slack); o.elapsed > limit {
		t.Errorf("case took %v, more than its timers allow (%v)", o.elapsed.Round(time.Millisecond), limit)
	}
	if w.noCase {
		if o.err == nil || !strings.Contains(o.err.Error(), w.reason) {
			t.Errorf("RunCase error = %v (result %v), want one naming %q", o.err, o.res != nil, w.reason)
		}
		return
	}
	if o.err != nil || o.res == nil {
		t.Fatalf("no result: %v", o.err)
	}
	r := o.res
	if string(r.Behavior) != w.behavior || string(r.BehaviorClose) != w.behaviorClose {
		t.Errorf("verdict %s / %s, want %s / %s (%s; %s)", r.Behavior, r.BehaviorClose, w.behavior, w.behaviorClose, r.Result, r.ResultClose)
	}
	if got := optString(r.WasNotCleanReason); w.reason != "" && !strings.Contains(got, w.reason) {
		t.Errorf("wasNotCleanReason %q, want %q", got, w.reason)
	}
	if w.localCode != 0 && (r.LocalCloseCode == nil || *r.LocalCloseCode != w.localCode) {
		t.Errorf("local close code %v, want %d", optInt(r.LocalCloseCode), w.localCode)
	}
}

// checkNext: the case after the hostile one ran, against a well-behaved
// peer, and passed.
func checkNext(t *testing.T, o outcome) {
	t.Helper()
	switch n := o.next; {
	case o.nextErr != nil:
		t.Errorf("next case %s after the hostile one: %v", nextCase, o.nextErr)
	case n == nil:
		t.Errorf("next case %s did not run", nextCase)
	case n.Behavior != ok || n.BehaviorClose != ok:
		t.Errorf("next case %s against a well-behaved peer: %s / %s (%s)", nextCase, n.Behavior, n.BehaviorClose, optString(n.WasNotCleanReason))
	}
}

// checkReports writes the results as a report and reads the index back:
// each case has its entry with its verdicts.
func checkReports(t *testing.T, rs ...*report.Result) {
	t.Helper()
	dir := t.TempDir()
	if err := report.WriteJSON(dir, rs); err != nil {
		t.Fatalf("write reports: %v", err)
	}
	idx, err := report.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		e, found := idx[r.Agent][r.ID]
		if !found || e.Behavior != r.Behavior || e.BehaviorClose != r.BehaviorClose {
			t.Errorf("index entry of %s for %s: %+v (found %v)", r.ID, r.Agent, e, found)
		}
	}
}

// againstServer runs the fuzzer as client: the hostile case, then the next
// one, through fakeclient.Run against a listener whose first connection is
// hostile and the others well-behaved.
func againstServer(hc hostileCase) outcome {
	o := outcome{hc: hc}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		o.err = err
		return o
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; ; n++ {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			p := wellBehaved
			if n == 0 {
				p = hc.peer
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				play(p, newWire(nc, false, stop))
			}()
		}
	}()
	defer func() {
		close(stop)
		ln.Close()
		wg.Wait()
	}()
	url := "ws://" + ln.Addr().String() + "/"
	start := time.Now()
	cfg := fakeclient.Config{URL: url, Agent: "hostile", Cases: []string{hc.caseID, nextCase},
		Progress: func(n, _ int, r *report.Result) {
			if n == 1 {
				o.elapsed = time.Since(start)
			}
		}}
	results, err := fakeclient.Run(context.Background(), cfg)
	switch len(results) {
	case 0:
		o.err = err
	case 1:
		o.res, o.nextErr = results[0], err
	default:
		o.res, o.next = results[0], results[1]
	}
	return o
}

// againstClient runs the fuzzer as server: the hostile case, then the next
// one with a well-behaved client, on the same fakeserver.Server.
func againstClient(hc hostileCase) outcome {
	o := outcome{hc: hc}
	srv, err := fakeserver.New(fakeserver.Config{Cases: []string{hc.caseID, nextCase}})
	if err != nil {
		o.err = err
		return o
	}
	defer srv.Close()
	stop := make(chan struct{})
	defer close(stop)
	start := time.Now()
	o.res, o.err = srv.RunCase(context.Background(), "hostile", hc.caseID, dialer(hc.peer, stop))
	o.elapsed = time.Since(start)
	o.next, o.nextErr = srv.RunCase(context.Background(), "hostile", nextCase, dialer(wellBehaved, stop))
	return o
}

// dialer is a fakeserver client that plays p.
func dialer(p peer, stop <-chan struct{}) fakeserver.ClientFunc {
	return func(ctx context.Context, rawURL string) error {
		u, err := url.Parse(rawURL)
		if err != nil {
			return err
		}
		var d net.Dialer
		nc, err := d.DialContext(ctx, "tcp", u.Host)
		if err != nil {
			return err
		}
		halt := make(chan struct{})
		w := newWire(nc, true, halt)
		w.host, w.target = u.Host, u.RequestURI()
		hold(w, p, func(done <-chan struct{}) {
			select {
			case <-stop:
			case <-ctx.Done():
			case <-done:
			}
			close(halt)
		})
		return nil
	}
}

// play runs p on w, then closes the connection; the test's stop ends it
// early.
func play(p peer, w *wire) {
	hold(w, p, func(done <-chan struct{}) {
		select {
		case <-w.stop:
		case <-done:
		}
	})
}

// hold runs p on w while watch waits for a reason to end it, then closes
// the connection and waits for both.
func hold(w *wire, p peer, watch func(done <-chan struct{})) {
	done := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		watch(done)
		w.nc.Close()
	}()
	p.act(w)
	close(done)
	<-watched
}

func optString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
