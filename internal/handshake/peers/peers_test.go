package peers

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The expectations below come from the case definitions (cases/handshake_*.go)
// and the RFC sections they cite, never from a run: each fault breaks one
// rule, and the cases listed are those whose request or answer exercises
// that rule.

// serverFaults: each fault of the reference server and the server cases
// (H.1-H.3) it must fail; every other server case stays OK.
var serverFaults = []struct {
	fault serverFault
	fails []string
}{
	// H.1: valid requests (RFC 6455 4.2.1, RFC 7230 3.2)
	{sNamesCaseSensitive, ids("H.1.1", "H.1.2")}, // lower- and upper-case names
	{sUpgradeCaseSensitive, ids("H.1.3")},
	{sConnectionWhole, ids("H.1.4")},
	{sConnectionCaseSensitive, ids("H.1.5")},
	{sRefuseUnknownFields, ids("H.1.6")},
	{sRefuseQuery, ids("H.1.7")},
	{sSpaceOnly, ids("H.1.8")},         // Upgrade: " \twebsocket\t "
	{sEchoProtocolField, ids("H.1.9")}, // answers "wsfuzz.chat, wsfuzz.superchat"
	{sRefuseRepeatedFields, ids("H.1.10")},
	{sOwnProtocol, ids("H.1.9", "H.1.10")},            // answers wsfuzz.other, never offered
	{sRefuseUnknownExtension, ids("H.1.11", "H.3.9")}, // both offer x-wsfuzz-unknown
	{sBareHostBadAccept, ids("H.1.12")},               // refusing that Host would pass (4.2.1 item 2); a broken 101 does not
	// H.2: invalid requests (RFC 6455 4.2.1, 4.2.2, 4.4)
	{sAcceptMissingKey, ids("H.2.1")},
	{sKeyDecodeErrorIgnored, ids("H.2.2")},
	{sKeyShortAccepted, ids("H.2.15")},        // 15 octets
	{sKeyLongAccepted, ids("H.2.3", "H.2.4")}, // 18 and 32 octets
	{sAcceptAnyVersion, ids("H.2.5")},
	{sVersionRefusalBare, ids("H.2.5")},
	{sAcceptMissingVersion, ids("H.2.6")},
	{sAcceptAnyMethod, ids("H.2.7")},
	{sAcceptHTTP10, ids("H.2.8")},
	{sAcceptMissingUpgrade, ids("H.2.9")},
	{sUpgradeNotChecked, ids("H.2.10")},
	{sAcceptMissingConnection, ids("H.2.11")},
	{sConnectionNotChecked, ids("H.2.12")},
	{sAcceptMissingHost, ids("H.2.13")},
	{sFirstKeyTaken, ids("H.2.14")}, // NON-STRICT
	// H.3: permessage-deflate offers (RFC 7692 5, 7)
	{sRefuseBareOffer, ids("H.3.1", "H.3.9")},  // the offers without parameters (H.3.8 accepts its first)
	{sEchoClientWindow, ids("H.3.2", "H.3.8")}, // both first offers have client_max_window_bits without a value
	{sRefuseClientWindowValue, ids("H.3.3")},   // H.3.12's value is invalid, declined before
	{sOmitServerWindow, ids("H.3.4", "H.3.7")}, // not H.3.8: its answer then fits the third offer, which had no window
	{sOmitServerNoContext, ids("H.3.5")},
	{sContextDespiteNoContext, ids("H.3.5")},
	{sRefuseClientNoContext, ids("H.3.6")},
	{sServerWindow8As9, ids("H.3.7")},
	{sAnswerAllOffers, ids("H.3.8")},
	{sAcceptWindowBelow8, ids("H.3.10")},
	{sAcceptServerWindowAbove, ids("H.3.11")},
	{sAcceptClientWindowAbove, ids("H.3.12")},
	{sAcceptServerWindowNoVal, ids("H.3.13")},
	{sAcceptLeadingZero, ids("H.3.14")},
	{sAcceptValueOnFlag, ids("H.3.15")},
	{sAcceptRepeatedParam, ids("H.3.16")},
	{sIgnoreUnknownParam, ids("H.3.17")},
}

// clientFaults: each fault of the reference client, the offer it makes, and
// the client cases (H.4-H.6) it must fail; every other client case stays
// as for the strict client with that offer.
var clientFaults = []struct {
	fault clientFault
	offer string
	fails []string
}{
	// H.4: answers a client must fail on (RFC 6455 4.1)
	{c2xxSwitches, offerFull, ids("H.4.1")},
	{cStatusNotChecked, offerFull, ids("H.4.1", "H.4.2")},
	{cAcceptNotChecked, offerFull, ids("H.4.3")},
	{cAcceptMissingOK, offerFull, ids("H.4.4")},
	{cUpgradeMissingOK, offerFull, ids("H.4.5")},
	{cUpgradeNotChecked, offerFull, ids("H.4.6")},
	{cConnectionMissingOK, offerFull, ids("H.4.7")},
	{cConnectionNotChecked, offerFull, ids("H.4.8")},
	{cProtocolNotChecked, offerFull, ids("H.4.9")},
	{cUnknownExtensionIgnored, offerFull, ids("H.4.10")},
	// H.5: valid answers (RFC 6455 4.1, RFC 7230)
	{cNamesCaseSensitive, offerFull, ids("H.5.1", "H.5.2")},
	{cReasonRequired, offerFull, ids("H.5.3")}, // RFC 6455 4.1 checks the status code only
	{cUnknownHeaderRejected, offerFull, ids("H.5.4")},
	{cUpgradeCaseSensitive, offerFull, ids("H.5.5")},
	{cConnectionCaseSensitive, offerFull, ids("H.5.5")},
	{cConnectionWhole, offerFull, ids("H.5.6")},
	{cSpaceOnly, offerFull, ids("H.5.7")}, // Connection: " \tUpgrade"
	// H.6: permessage-deflate answers (RFC 7692 5, 7)
	{cBareAnswerRejected, offerFull, ids("H.6.1")},
	{cNoContextRequired, offerFull, ids("H.6.1")},     // {deflate:minimal}; the other answers keep client_no_context_takeover
	{cServerWindowRejected, offerFull, ids("H.6.12")}, // NON-STRICT: the RFC lets a client refuse what it does not support
	{cServerWindowExact, offerWindow, ids("H.6.2")},   // 11 to an offer of 12
	{cServerNoContextRejected, offerFull, ids("H.6.3")},
	{cClientNoContextRejected, offerFull, ids("H.6.3", "H.6.5", "H.6.12")}, // {deflate} keeps the offered client_no_context_takeover
	{cClientNoContextRejected, offerPlain, ids("H.6.4")},                   // NON-STRICT: not offered
	{cContextDespiteNoContext, offerFull, ids("H.6.3", "H.6.5", "H.6.12")},
	{cContextDespiteNoContext, offerPlain, ids("H.6.4")},
	{cClientWindowRejected, offerFull, ids("H.6.5")},
	{cWindowRangeNotChecked, offerFull, ids("H.6.6")},
	{cUnknownParamIgnored, offerFull, ids("H.6.7")},
	{cRepeatedParamAccepted, offerFull, ids("H.6.8")},
	{cDeflateTwiceAccepted, offerFull, ids("H.6.9")},
	{cUnofferedWindowAccepted, offerPlain, ids("H.6.10")}, // NON-STRICT; H.6.10 applies to an offer without client_max_window_bits
	{cValuelessWindowAccepted, offerFull, ids("H.6.11")},
}

// unimplemented are the client cases that do not apply to a client making
// an offer, from their NeedsOffer and OfferLacks: H.6.1-H.6.5 and H.6.12
// need a permessage-deflate offer, H.6.2 one with server_max_window_bits,
// H.6.5 one with client_max_window_bits; H.6.4, H.6.10 and H.6.12 one
// without client_no_context_takeover, client_max_window_bits and
// server_max_window_bits.
func unimplemented(offer string) []string {
	switch offer {
	case offerFull:
		return ids("H.6.2", "H.6.4", "H.6.10")
	case offerPlain:
		return ids("H.6.2", "H.6.5")
	case offerWindow:
		return ids("H.6.10", "H.6.12")
	case "":
		return ids("H.6.1", "H.6.2", "H.6.3", "H.6.4", "H.6.5", "H.6.12")
	}
	panic("no such offer " + offer)
}

func ids(s ...string) []string { return s }

// timeoutScale stretches the fuzzer's close handshake timeouts: the
// machine these tests run on may be busy, and no case here waits for one
// unless a peer is broken in a way no fault of the tables is.
const timeoutScale = 5

var serverProtocols = []string{"wsfuzz.other", "wsfuzz.superchat"}

// playAll plays every selected case at once and returns the results by id.
func playAll(t *testing.T, r *harness.Runner) map[string]*report.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = map[string]*report.Result{}
	)
	for _, id := range r.IDs() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, _, err := r.Play(ctx, id, harness.Seed{})
			if err != nil {
				t.Errorf("%s: %v", id, err)
				return
			}
			mu.Lock()
			out[id] = res
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func ok(res *report.Result) bool {
	return res.Behavior == report.OK && res.BehaviorClose == report.OK
}

// check compares the results with the expectation: the ids in fails are
// not OK (and apply), those in unimpl are UNIMPLEMENTED, all others OK.
func check(t *testing.T, results map[string]*report.Result, fails, unimpl []string) {
	t.Helper()
	ids := make([]string, 0, len(results))
	for id := range results {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, cases.CompareIDs)
	for _, id := range ids {
		res := results[id]
		got := string(res.Behavior) + "/" + string(res.BehaviorClose)
		switch {
		case slices.Contains(fails, id):
			if ok(res) || res.Behavior == report.Unimplemented {
				t.Errorf("%s: want not OK, got %s: %s %s", id, got, res.Result, res.ResultClose)
			} else {
				t.Logf("%s: %s: %s | %s", id, got, res.Result, res.ResultClose)
			}
		case slices.Contains(unimpl, id):
			if res.Behavior != report.Unimplemented {
				t.Errorf("%s: want UNIMPLEMENTED, got %s: %s %s", id, got, res.Result, res.ResultClose)
			}
		case !ok(res):
			t.Errorf("%s: want OK/OK, got %s: %s | %s%s", id, got, res.Result, res.ResultClose, unclean(res))
		}
	}
	for _, id := range fails {
		if results[id] == nil {
			t.Errorf("%s: expected to fail, but it was not played", id)
		}
	}
}

// unclean says why a connection did not close cleanly, for failure
// messages.
func unclean(res *report.Result) string {
	s := ""
	if res.WasNotCleanReason != nil {
		s += " (not clean: " + *res.WasNotCleanReason + ")"
	}
	if res.WasCloseHandshakeTimeout {
		s += " (close handshake timeout)"
	}
	if res.WasServerConnectionDropTimeout {
		s += " (server drop timeout)"
	}
	return s
}

func serverRunner(t *testing.T, cfg serverConfig) *harness.Runner {
	s := startServer(t, cfg)
	r, err := harness.Server("reference server", harness.URL(s.url), harness.Cases("H.*"), harness.TimeoutScale(timeoutScale))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func clientRunner(t *testing.T, cfg clientConfig) *harness.Runner {
	cl := &client{cfg: cfg}
	r, err := harness.Client("reference client", cl.run, harness.Cases("H.*"), harness.TimeoutScale(timeoutScale))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestStrictServer: the strict server passes every server case (OK/OK),
// whether it accepts permessage-deflate or declines every offer.
func TestStrictServer(t *testing.T) {
	for _, deflate := range []bool{true, false} {
		name := "deflate"
		if !deflate {
			name = "no deflate"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := serverRunner(t, serverConfig{protocols: serverProtocols, deflate: deflate})
			results := playAll(t, r)
			if len(results) != countCases(cases.ServerPeer) {
				t.Errorf("played %d cases, want every server case (%d)", len(results), countCases(cases.ServerPeer))
			}
			check(t, results, nil, nil)
		})
	}
}

// TestStrictClient: the strict client passes every client case that
// applies to its offer (OK/OK); the others are UNIMPLEMENTED.
func TestStrictClient(t *testing.T) {
	for _, offer := range []string{offerFull, offerPlain, offerWindow, ""} {
		t.Run("offer "+offer, func(t *testing.T) {
			t.Parallel()
			r := clientRunner(t, clientConfig{offer: offer, protocols: []string{"wsfuzz.chat"}})
			results := playAll(t, r)
			if len(results) != countCases(cases.ClientPeer) {
				t.Errorf("played %d cases, want every client case (%d)", len(results), countCases(cases.ClientPeer))
			}
			check(t, results, nil, unimplemented(offer))
		})
	}
}

// TestServerFaults: each fault fails exactly the cases of its row.
func TestServerFaults(t *testing.T) {
	for _, f := range serverFaults {
		t.Run(string(f.fault), func(t *testing.T) {
			t.Parallel()
			r := serverRunner(t, serverConfig{protocols: serverProtocols, deflate: true, fault: f.fault})
			check(t, playAll(t, r), f.fails, nil)
		})
	}
}

// TestClientFaults: each fault fails exactly the cases of its row.
func TestClientFaults(t *testing.T) {
	for _, f := range clientFaults {
		t.Run(string(f.fault)+" with offer "+f.offer, func(t *testing.T) {
			t.Parallel()
			r := clientRunner(t, clientConfig{offer: f.offer, protocols: []string{"wsfuzz.chat"}, fault: f.fault})
			check(t, playAll(t, r), f.fails, unimplemented(f.offer))
		})
	}
}

// TestFaultTablesCoverEveryCase: every case of our own catalog has a fault
// that fails it, of the side the case tests, so a new case without a
// failing peer fails here; and the tables name only such cases.
func TestFaultTablesCoverEveryCase(t *testing.T) {
	covered := map[string]cases.Peer{}
	seen := map[string]bool{}
	for _, f := range serverFaults {
		if seen[string(f.fault)] {
			t.Errorf("server fault %q twice", f.fault)
		}
		seen[string(f.fault)] = true
		for _, id := range f.fails {
			covered[id] = cases.ServerPeer
		}
	}
	seen = map[string]bool{}
	for _, f := range clientFaults {
		if key := string(f.fault) + " with offer " + f.offer; seen[key] {
			t.Errorf("client fault %q twice", key)
		} else {
			seen[key] = true
		}
		for _, id := range f.fails {
			if covered[id] == cases.ServerPeer {
				t.Errorf("%s is in both tables", id)
			}
			covered[id] = cases.ClientPeer
		}
	}
	all := cases.Extended()
	if len(all) == 0 {
		t.Fatal("no extended cases")
	}
	for _, c := range all {
		side, ok := covered[c.ID]
		switch {
		case !ok:
			t.Errorf("%s (%s) has no fault that fails it: %s", c.ID, c.Tests(), c.Description)
		case side != c.Tests():
			t.Errorf("%s tests the %s, but a %s fault is listed for it", c.ID, c.Tests(), side)
		}
		delete(covered, c.ID)
	}
	for id := range covered {
		t.Errorf("the fault tables name %s, which is not a case", id)
	}
	for _, id := range append(unimplemented(offerFull), append(unimplemented(offerPlain), unimplemented("")...)...) {
		if c, ok := cases.ByID(id); !ok || c.Tests() != cases.ClientPeer || !strings.HasPrefix(id, "H.6.") {
			t.Errorf("unimplemented names %s, not a client deflate case", id)
		}
	}
}

func countCases(p cases.Peer) int {
	n := 0
	for _, c := range cases.Extended() {
		if c.Tests() == p {
			n++
		}
	}
	return n
}
