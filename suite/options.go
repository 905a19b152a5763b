package suite

import (
	"errors"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/internal/engine"
)

// Option configures a Client or Server registration. Registrations also
// take Ginkgo decorators (Label, Serial, FlakeAttempts, ...), which every
// spec of the registration gets.
type Option func(*config)

// config is a registration's settings.
type config struct {
	include, exclude []string
	policy           assertions.Policy
	scale            float64
	reportDir        string
	chop             int   // ChopEvery or the largest random chop
	random           bool  // RandomChop
	seed             int64 // RandomChop's seed; 0 derives one per case
	sync             bool
	gap              time.Duration
	gapSet           bool
	decorators       []any
	errs             []error
}

func newConfig(args []any) *config {
	c := &config{include: []string{"*"}, scale: 1}
	for _, a := range args {
		if o, ok := a.(Option); ok {
			o(c)
		} else {
			c.decorators = append(c.decorators, a)
		}
	}
	return c
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func (c *config) err() error { return errors.Join(c.errs...) }

// Cases selects the cases to run with patterns as in Autobahn spec files
// ("3.*", "6.4.*", "7.1.1"); the default is every case.
func Cases(patterns ...string) Option {
	return func(c *config) { c.include = patterns }
}

// Exclude leaves out the cases matching patterns ("9.*", "12.*").
func Exclude(patterns ...string) Option {
	return func(c *config) { c.exclude = append(c.exclude, patterns...) }
}

// Strict passes only behavior OK (and INFORMATIONAL, which cannot be OK),
// and fails UNIMPLEMENTED cases instead of skipping them.
func Strict() Option {
	return func(c *config) { c.policy = assertions.Strict }
}

// TimeoutScale multiplies the protocol timeouts (opening and closing
// handshake, server drop) and the specs' own time limits by f, for slow
// machines. The case timers stay as the catalog defines them.
func TimeoutScale(f float64) Option {
	return func(c *config) {
		if f <= 0 {
			c.fail("suite: TimeoutScale(%v): the factor must be above zero", f)
			return
		}
		c.scale = f
	}
}

// ReportDir writes Autobahn reports (index.json, one JSON and one HTML file
// per case, index.html) into dir at the end of the suite, also when specs
// ran in parallel processes. An empty dir writes none.
func ReportDir(dir string) Option {
	return func(c *config) { c.reportDir = dir }
}

// ChopEvery writes every frame the fuzzer sends in chops of n octets, each
// a write of its own (1 is octet-wise everywhere), instead of each case's own
// chopping.
func ChopEvery(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("suite: ChopEvery(%d): the chop size must be at least 1", n)
			return
		}
		if c.random {
			c.fail("suite: ChopEvery and RandomChop exclude each other")
		}
		c.chop = n
	}
}

// RandomChop writes every frame in chops of a random size from 1 to max,
// drawn anew for every frame from seed. Seed 0 derives a seed per case from
// Ginkgo's random seed (ginkgo --seed), so that cases differ; either way
// the seed shows in the spec's report for a replay.
func RandomChop(max int, seed int64) Option {
	return func(c *config) {
		if max < 1 {
			c.fail("suite: RandomChop(%d, %d): the largest chop size must be at least 1", max, seed)
			return
		}
		if c.chop > 0 && !c.random {
			c.fail("suite: ChopEvery and RandomChop exclude each other")
		}
		c.chop, c.random, c.seed = max, true, seed
	}
}

// SyncEveryFrame writes every frame as a write of its own, as cases that
// ask for "sync" do.
func SyncEveryFrame() Option {
	return func(c *config) { c.sync = true }
}

// ChopDelay pauses d after every chopped or sync write instead of the
// fuzzer's default of about 10µs.
func ChopDelay(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("suite: ChopDelay(%v): the delay must not be negative", d)
			return
		}
		c.gap, c.gapSet = d, true
	}
}

// options are the engine options for case id, and a description of the
// chopping used for the spec's report.
func (c *config) options(id string) (engine.Options, string) {
	o := engine.Defaults().ScaleTimeouts(c.scale)
	o.ForceSync = c.sync
	if c.gapSet {
		o.ChopGap = c.gap
	}
	desc := "each case's own chop sizes"
	switch {
	case c.random:
		o.ForceChop, o.ChopSeed = c.chop, c.seed
		how := "given"
		if c.seed == 0 {
			o.ChopSeed = caseSeed(ginkgo.GinkgoRandomSeed(), id)
			how = fmt.Sprintf("derived from ginkgo --seed=%d", ginkgo.GinkgoRandomSeed())
		}
		desc = fmt.Sprintf("random chop sizes 1-%d for every frame, seed %d (%s; replay with suite.RandomChop(%d, %d))",
			c.chop, o.ChopSeed, how, c.chop, o.ChopSeed)
	case c.chop > 0:
		o.ForceChop = c.chop
		desc = fmt.Sprintf("every frame in chops of %d octets", c.chop)
	}
	if c.sync {
		desc += ", every frame written on its own (sync)"
	}
	if c.gapSet {
		desc += fmt.Sprintf(", %v after every chop", c.gap)
	}
	return o, desc
}

// caseSeed mixes a suite seed with a case id into a non-zero chop seed.
func caseSeed(base int64, id string) int64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	s := base ^ int64(h.Sum64())
	if s == 0 {
		s = 1
	}
	return s
}
