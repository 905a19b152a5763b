package suite

import (
	"time"

	"github.com/wsfuzz/autobahn/harness"
)

// Option configures a Client or Server registration. Registrations also
// take Ginkgo decorators (Label, Serial, FlakeAttempts, ...), which every
// spec of the registration gets. Options are package harness's, shared with
// package autobahntest; the functions below return them.
type Option = harness.Option

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
// handshake, server drop) and the specs' own time limits by f, for slow
// machines. The case timers stay as the catalog defines them.
func TimeoutScale(f float64) Option { return harness.TimeoutScale(f) }

// ReportDir writes Autobahn reports (index.json, one JSON and one HTML file
// per case, index.html) into dir at the end of the suite, also when specs
// ran in parallel processes. An empty dir writes none.
func ReportDir(dir string) Option { return harness.ReportDir(dir) }

// ChopEvery writes every frame the fuzzer sends in chops of n octets, each
// a write of its own (1 is octet-wise everywhere), instead of each case's own
// chopping.
func ChopEvery(n int) Option { return harness.ChopEvery(n) }

// RandomChop writes every frame in chops of a random size from 1 to max,
// drawn anew for every frame from seed. Seed 0 derives a seed per case from
// Ginkgo's random seed (ginkgo --seed), so that cases differ; either way
// the seed shows in the spec's report for a replay.
func RandomChop(max int, seed int64) Option { return harness.RandomChop(max, seed) }

// SyncEveryFrame writes every frame as a write of its own, as cases that
// ask for "sync" do.
func SyncEveryFrame() Option { return harness.SyncEveryFrame() }

// ChopDelay pauses d after every chopped or sync write instead of the
// fuzzer's default of about 10µs.
func ChopDelay(d time.Duration) Option { return harness.ChopDelay(d) }
