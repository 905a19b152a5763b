package conformance

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/report"
)

// deflatePeer is a library with permessage-deflate in one role, and which
// compression families its negotiation ends with the extension on.
type deflatePeer struct {
	run    string // oracle run name for this library and role
	server http.HandlerFunc
	client fakeserver.ClientFunc
	// refuses lists the families whose offers or accept rules the library's
	// negotiation cannot meet, so that they are UNIMPLEMENTED.
	refuses []string
	// all runs all 216 cases unless -short; other peers run the oracle's
	// subset.
	all bool
}

var deflatePeers = []deflatePeer{
	// coder's server takes server_max_window_bits only as 15, so the offers
	// of 13.3 and 13.5 (a 2^9 server window) get no extension.
	{run: "fuzzingclient-coder-deflate", server: coderDeflateServer, refuses: []string{"13.3", "13.5"}, all: true},
	// coder's client offers a bare "permessage-deflate": it allows no client
	// window, which 13.3-13.6 require; 13.7 falls back to rules it meets.
	{run: "fuzzingserver-coder-deflate", client: coderDeflateClient, refuses: []string{"13.3", "13.4", "13.5", "13.6"}, all: true},
	// gws's server accepts every permessage-deflate offer (asking for 2^12
	// windows whatever was offered, which the fuzzer takes as it stands).
	{run: "fuzzingclient-gws-deflate", server: gwsDeflateServer},
	// gws's client offers client_max_window_bits, so every rule fits; it
	// then compresses with the 2^9 window 13.3, 13.5 and 13.7 ask for.
	{run: "fuzzingserver-gws-deflate", client: gwsDeflateClient},
	// gorilla's server accepts any permessage-deflate offer, ignoring its
	// parameters, with no context takeover both ways.
	{run: "fuzzingclient-gorilla-deflate", server: gorillaDeflateServer},
}

// family is the subcategory of a case id ("13.3" for "13.3.7").
func family(id string) string { return id[:strings.LastIndex(id, ".")] }

// expected is the verdict pair a case must get: the oracle's where the real
// fuzzer ran it, else what the library's negotiation explains.
func (p deflatePeer) expected(oracle map[string]map[string]verdict, id string) (verdict, bool) {
	if v, ok := oracle[p.run][id]; ok {
		return v, true
	}
	for _, f := range p.refuses {
		if family(id) == f {
			return verdict{behavior: "UNIMPLEMENTED", behaviorClose: "OK"}, false
		}
	}
	return verdict{behavior: "OK", behaviorClose: "OK"}, false
}

// deflateCases are all 216 compression cases when all is set and
// AUTOBAHN_DEFLATE_FULL=1 (it moves about 11 GB each way per role and takes
// minutes), else those the oracle has: the first size of each family,
// 12.1.11 and 13.1.11.
func deflateCases(t *testing.T, all bool) []string {
	ids, err := cases.Resolve([]string{"12.*", "13.*"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if all && os.Getenv("AUTOBAHN_DEFLATE_FULL") == "1" && !testing.Short() {
		return ids
	}
	var out []string
	for _, id := range ids {
		if strings.HasSuffix(id, ".1") || id == "12.1.11" || id == "13.1.11" {
			out = append(out, id)
		}
	}
	return out
}

// runDeflate runs the cases against one peer, several at a time on their
// own connections (their verdicts do not depend on timing), and returns the
// results.
func runDeflate(t *testing.T, p deflatePeer, ids []string) map[string]*report.Result {
	t.Helper()
	var run func(id string) (*report.Result, error)
	if p.server != nil {
		url := serve(t, p.server)
		run = func(id string) (*report.Result, error) {
			return fakeclient.RunCase(context.Background(), url, p.run, id, nil)
		}
	} else {
		srv, err := fakeserver.New(fakeserver.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		run = func(id string) (*report.Result, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			r, err := srv.RunCase(ctx, p.run, id, p.client)
			if r != nil {
				err = nil // the client's own error is judged in the result
			}
			return r, err
		}
	}
	var mu sync.Mutex
	results := map[string]*report.Result{}
	next := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				r, err := run(id)
				if err != nil {
					t.Errorf("case %s: %v", id, err)
					continue
				}
				mu.Lock()
				results[id] = r
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return results
}

// TestDeflateAgainstLibraries runs the compression cases against coder (all
// 216 unless -short) and gws (the oracle's subset) in both roles, and
// gorilla's server (the same subset). Every case must get the oracle's verdicts where the
// real fuzzer ran it, else OK or UNIMPLEMENTED as the library negotiates; a
// passed case carries its traffic statistics, and the extension headers
// exchanged are those of the real fuzzer's runs.
func TestDeflateAgainstLibraries(t *testing.T) {
	oracle := loadOracle(t)
	for _, p := range deflatePeers {
		t.Run(p.run, func(t *testing.T) {
			t.Parallel()
			ids := deflateCases(t, p.all)
			start := time.Now()
			results := runDeflate(t, p, ids)
			t.Logf("%s: %d cases in %v", p.run, len(results), time.Since(start).Round(time.Millisecond))
			fromOracle := 0
			for _, id := range ids {
				r := results[id]
				want, inOracle := p.expected(oracle, id)
				if inOracle {
					fromOracle++
				}
				if string(r.Behavior) != want.behavior || string(r.BehaviorClose) != want.behaviorClose {
					t.Errorf("%s: got %s/%s (%s; %s), want %s/%s (oracle: %v)", id, r.Behavior, r.BehaviorClose, r.Result,
						r.ResultClose, want.behavior, want.behaviorClose, inOracle)
				}
				checkTraffic(t, id, r)
				checkExtensionHeaders(t, p.run, id, r)
			}
			t.Logf("%s: %d cases judged against the oracle, %d by the library's negotiation", p.run, fromOracle, len(ids)-fromOracle)
		})
	}
}

// checkTraffic: a passed case reports its traffic with the real fuzzer's
// ratios, a case that did not pass reports none.
func checkTraffic(t *testing.T, id string, r *report.Result) {
	t.Helper()
	ts := r.TrafficStats
	if r.Behavior != "OK" {
		if ts != nil {
			t.Errorf("%s: %s with traffic statistics", id, r.Behavior)
		}
		return
	}
	c, _ := cases.ByID(id)
	x := c.Compression
	if ts == nil || !r.ReportCompressionRatio || !r.ReportTime {
		t.Errorf("%s: OK without traffic statistics or their report flags", id)
		return
	}
	if ts.OutgoingWebSocketMessages != int64(x.Count) || ts.IncomingWebSocketMessages != int64(x.Count) {
		t.Errorf("%s: %d messages out, %d in, want %d", id, ts.OutgoingWebSocketMessages, ts.IncomingWebSocketMessages, x.Count)
	}
	if ts.OutgoingOctetsAppLevel != ts.IncomingOctetsAppLevel || ts.OutgoingOctetsAppLevel < int64(x.Count*x.Length) {
		t.Errorf("%s: %d application octets out, %d in", id, ts.OutgoingOctetsAppLevel, ts.IncomingOctetsAppLevel)
	}
	// 16 keys, written in sorted order as the real fuzzer's sort_keys does.
	raw, err := report.MarshalIndent(ts)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, line := range strings.Split(string(raw), "\n") {
		if k, _, ok := strings.Cut(strings.TrimSpace(line), "\":"); ok {
			keys = append(keys, strings.TrimPrefix(k, "\""))
		}
	}
	if len(keys) != 16 || !slices.IsSorted(keys) {
		t.Errorf("%s: traffic statistics keys %v, want 16 in sorted order", id, keys)
	}
	ratio := float64(ts.OutgoingOctetsWebSocketLevel) / float64(ts.OutgoingOctetsAppLevel)
	if ts.OutgoingCompressionRatio == nil || *ts.OutgoingCompressionRatio != ratio || ts.IncomingCompressionRatio == nil ||
		ts.OutgoingWebSocketOverhead == nil || ts.IncomingWebSocketOverhead == nil {
		t.Errorf("%s: ratios missing or not WebSocket/application octets: %+v", id, ts)
	}
}

// checkExtensionHeaders compares the Sec-WebSocket-Extensions headers with
// those of the real fuzzer's run of the same case, when it is at hand.
func checkExtensionHeaders(t *testing.T, run, id string, r *report.Result) {
	t.Helper()
	file := filepath.Join("..", "..", "..", "shared", "oracle", run, "coder_case_"+strings.ReplaceAll(id, ".", "_")+".json")
	raw, err := os.ReadFile(file)
	if err != nil {
		return // not an oracle case, or the reference folder is absent
	}
	var real struct{ HTTPRequest, HTTPResponse string }
	if err := json.Unmarshal(raw, &real); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for _, h := range []struct{ what, got, want string }{
		{"request", r.HTTPRequest, real.HTTPRequest}, {"response", r.HTTPResponse, real.HTTPResponse}} {
		if g, w := extensionsHeader(h.got), extensionsHeader(h.want); g != w {
			t.Errorf("%s: %s extensions %q, real fuzzer's run %q", id, h.what, g, w)
		}
	}
}

func extensionsHeader(raw string) string {
	for _, line := range strings.Split(raw, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "sec-websocket-extensions") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestDeflateBrokenPeers: a peer that refers further back than the 2^9
// window it agreed to, or sends octets that are not DEFLATE, fails the case
// in both roles.
func TestDeflateBrokenPeers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		id       string
		farReach bool
	}{{"beyond window", "13.3.4", true}, {"not deflate", "12.1.1", false}} {
		t.Run(tc.name, func(t *testing.T) {
			url := serveBadPeer(t, tc.farReach)
			asClient, err := fakeclient.RunCase(context.Background(), url, "bad", tc.id, nil)
			if err != nil {
				t.Fatal(err)
			}
			asServer := runDeflate(t, deflatePeer{run: "bad", client: badClient(tc.farReach)}, []string{tc.id})[tc.id]
			for role, r := range map[string]*report.Result{"fuzzer as client": asClient, "fuzzer as server": asServer} {
				ext := extensionsHeader(r.HTTPResponse)
				if tc.farReach && !strings.Contains(ext, "max_window_bits=9") {
					t.Errorf("%s: no 2^9 window was negotiated (%q)", role, ext)
				}
				if r.Behavior != "FAILED" {
					t.Errorf("%s: behavior %s (%s), want FAILED", role, r.Behavior, r.Result)
				}
				reason := ""
				if r.WasNotCleanReason != nil {
					reason = *r.WasNotCleanReason
				}
				if !strings.Contains(reason, "decompression failed") {
					t.Errorf("%s: not failed by decompression: %q", role, reason)
				}
				t.Logf("%s: %s/%s, %s", role, r.Behavior, r.BehaviorClose, reason)
			}
		})
	}
}

// TestDeflateWithoutExtension: against peers that negotiate no
// permessage-deflate, compression cases are UNIMPLEMENTED (the fuzzer
// closes cleanly at once), not FAILED.
func TestDeflateWithoutExtension(t *testing.T) {
	ids := []string{"12.1.1", "12.5.18", "13.7.18"}
	for _, p := range []deflatePeer{{run: "plain-coder-server", server: coderServer}, {run: "plain-gorilla-client", client: gorillaClient}} {
		for id, r := range runDeflate(t, p, ids) {
			if r.Behavior != "UNIMPLEMENTED" || r.BehaviorClose != "OK" || r.TrafficStats != nil {
				t.Errorf("%s %s: %s/%s (%s), want UNIMPLEMENTED/OK without traffic statistics", p.run, id, r.Behavior, r.BehaviorClose, r.Result)
			}
		}
	}
}
