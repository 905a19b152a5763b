package autobahntest

import (
	"crypto/tls"
	"io"
	"time"

	"github.com/wsfuzz/autobahn/harness"
)

// Option configures a Client or Server run. The options are package
// harness's, as the Ginkgo suite's are: the same names with the same
// meanings in both packages, and any harness option works here too.
type Option = harness.Option

// Parallel plays up to n cases at once, each on its own connection: the
// subtests run in parallel (t.Parallel) unless n is 1, which plays them
// one after the other. The default is harness.DefaultParallel. go test's
// -parallel flag (GOMAXPROCS by default) bounds the parallel subtests too:
// most cases wait on timers and on the peer rather than compute, so give
// it more than the CPU count (go test -parallel 16); the CPU-heavy cases
// stay bounded process-wide whatever either says. A server given by URL
// must take several connections at once.
func Parallel(n int) Option { return harness.Parallel(n) }

// Cases selects the cases to run with patterns as in Autobahn spec files
// ("3.*", "6.4.*", "7.1.1"); the default is every case.
func Cases(patterns ...string) Option { return harness.Cases(patterns...) }

// Extended adds wsfuzz's own cases (section H: the opening handshake and
// extension negotiation) that test the side under test; "*" alone is
// Autobahn's 517 cases.
func Extended() Option { return harness.Extended() }

// Exclude leaves out the cases matching patterns ("9.*", "12.*").
func Exclude(patterns ...string) Option { return harness.Exclude(patterns...) }

// Strict passes only behavior OK (and INFORMATIONAL, which cannot be OK),
// and fails UNIMPLEMENTED cases instead of skipping them.
func Strict() Option { return harness.Strict() }

// TimeoutScale multiplies the protocol timeouts (opening and closing
// handshake, server drop) and the cases' own time limits by f, for slow
// machines. The case timers stay as the catalog defines them.
func TimeoutScale(f float64) Option { return harness.TimeoutScale(f) }

// ReportDir writes Autobahn reports (index.json, one JSON and one HTML file
// per case, index.html) into dir when the test and its subtests have
// ended. Tests of one process that share dir share its index, one agent
// each. A run of some cases (go test -run, -short) merges into the report
// already in dir: the cases it ran replace theirs, the others stay; remove
// dir for a report of one run alone. An empty dir writes none.
func ReportDir(dir string) Option { return harness.ReportDir(dir) }

// ChopEvery writes every frame the fuzzer sends in chops of n octets, each
// a write of its own (1 is octet-wise everywhere), instead of each case's own
// chopping.
func ChopEvery(n int) Option { return harness.ChopEvery(n) }

// RandomChop writes every frame in chops of a random size from 1 to max,
// drawn anew for every frame from seed. Seed 0 derives a seed per case from
// the case id, the same in every run; the seed shows in a failing case's
// message for a replay.
func RandomChop(max int, seed int64) Option { return harness.RandomChop(max, seed) }

// SyncEveryFrame writes every frame as a write of its own, as cases that
// ask for "sync" do.
func SyncEveryFrame() Option { return harness.SyncEveryFrame() }

// ChopDelay pauses d after every chopped or sync write instead of the
// fuzzer's default of about 10µs.
func ChopDelay(d time.Duration) Option { return harness.ChopDelay(d) }

// TLS runs the cases over TLS (wss://) with a certificate made for the run
// (see harness.TLS).
func TLS() Option { return harness.TLS() }

// TLSClientConfig is the TLS configuration the fuzzer's client uses for a
// wss:// server (see harness.TLSClientConfig).
func TLSClientConfig(cfg *tls.Config) Option { return harness.TLSClientConfig(cfg) }

// Subprotocols offers (as a client) or accepts (as a server) these
// subprotocols (see harness.Subprotocols).
func Subprotocols(protocols ...string) Option { return harness.Subprotocols(protocols...) }

// Debug turns off the protocol timeouts and writes every frame to w (see
// harness.Debug).
func Debug(w io.Writer) Option { return harness.Debug(w) }
