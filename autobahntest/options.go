package autobahntest

import (
	"time"

	"github.com/wsfuzz/autobahn/harness"
)

// Option configures a Client or Server run.
type Option func(*settings)

// settings are the options of a run: harness's and this package's own.
type settings struct {
	harness  []harness.Option
	parallel bool
}

func collect(opts []Option) settings {
	var s settings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// With passes options of package harness through, for those this package
// has no function of its own for.
func With(opts ...harness.Option) Option {
	return func(s *settings) { s.harness = append(s.harness, opts...) }
}

// Parallel runs the cases as parallel subtests (t.Parallel in each), as
// many at a time as go test's -parallel flag allows (GOMAXPROCS by
// default). Every case has its own listener and connection, so they do not
// interfere; a server given by URL must take several connections at once.
// Most cases wait on timers and on the peer rather than compute, so a
// -parallel above the CPU count (go test -parallel 16) overlaps their
// waits; the CPU-heavy cases stay bounded process-wide whatever it says.
func Parallel() Option {
	return func(s *settings) { s.parallel = true }
}

// Cases selects the cases to run with patterns as in Autobahn spec files
// ("3.*", "6.4.*", "7.1.1"); the default is every case.
func Cases(patterns ...string) Option { return With(harness.Cases(patterns...)) }

// Exclude leaves out the cases matching patterns ("9.*", "12.*").
func Exclude(patterns ...string) Option { return With(harness.Exclude(patterns...)) }

// Strict passes only behavior OK (and INFORMATIONAL, which cannot be OK),
// and fails UNIMPLEMENTED cases instead of skipping them.
func Strict() Option { return With(harness.Strict()) }

// TimeoutScale multiplies the protocol timeouts (opening and closing
// handshake, server drop) and the cases' own time limits by f, for slow
// machines. The case timers stay as the catalog defines them.
func TimeoutScale(f float64) Option { return With(harness.TimeoutScale(f)) }

// ReportDir writes Autobahn reports (index.json, one JSON and one HTML file
// per case, index.html) into dir when the test and its subtests have
// ended. Tests of one process that share dir share its index, one agent
// each. A run of some cases (go test -run, -short) merges into the report
// already in dir: the cases it ran replace theirs, the others stay; remove
// dir for a report of one run alone. An empty dir writes none.
func ReportDir(dir string) Option { return With(harness.ReportDir(dir)) }

// ChopEvery writes every frame the fuzzer sends in chops of n octets, each
// a write of its own (1 is octet-wise everywhere), instead of each case's own
// chopping.
func ChopEvery(n int) Option { return With(harness.ChopEvery(n)) }

// RandomChop writes every frame in chops of a random size from 1 to max,
// drawn anew for every frame from seed. Seed 0 derives a seed per case from
// the case id, the same in every run; the seed shows in a failing case's
// message for a replay.
func RandomChop(max int, seed int64) Option { return With(harness.RandomChop(max, seed)) }

// SyncEveryFrame writes every frame as a write of its own, as cases that
// ask for "sync" do.
func SyncEveryFrame() Option { return With(harness.SyncEveryFrame()) }

// ChopDelay pauses d after every chopped or sync write instead of the
// fuzzer's default of about 10µs.
func ChopDelay(d time.Duration) Option { return With(harness.ChopDelay(d)) }
