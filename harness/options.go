package harness

import (
	"crypto/tls"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/baseline"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/sched"
	"github.com/wsfuzz/autobahn/internal/tlsconf"
)

// Option configures a run: which cases, how they pass, how the fuzzer
// writes its frames, where reports go.
type Option func(*Config)

// Config is a run's settings, made from Options by NewConfig.
type Config struct {
	include, exclude []string
	policy           Policy
	scale            float64
	reportDir        string
	chop             int   // ChopEvery or the largest random chop
	random           bool  // RandomChop
	seed             int64 // RandomChop's seed; 0 derives one per case
	sync             bool
	gap              time.Duration
	gapSet           bool
	parallel         int            // Parallel, 0 for DefaultParallel
	limiter          *sched.Limiter // the process's, sched.Default, unless a test sets its own
	ids              []string       // the selected cases, in catalog order
	extended         bool           // Extended
	baselinePath     string
	baseline         *baseline.File // nil without Baseline
	updating         bool           // UpdateEnv set: record, do not judge
	cert             *tlsconf.Cert  // TLS()
	tlsClient        *tls.Config    // TLSClientConfig
	protocols        []string       // Subprotocols
	debug            *syncWriter    // Debug
	errs             []error
}

// NewConfig applies opts to the defaults (every case, the Lenient policy,
// each case's own chopping, timeouts as the real fuzzer's) and returns the
// settings, or an error naming every bad option.
func NewConfig(opts ...Option) (*Config, error) {
	c := &Config{include: []string{"*"}, scale: 1}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	include := c.include
	if c.extended {
		include = append(slices.Clip(include), cases.ExtendedPrefix+"*")
	}
	ids, err := cases.Resolve(include, c.exclude)
	if err != nil {
		c.fail("harness: case selection: %w", err)
	}
	c.ids = ids
	if err := errors.Join(c.errs...); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// IDs are the selected cases, in catalog order.
func (c *Config) IDs() []string { return c.ids }

// Policy is the pass policy: Lenient unless Strict was given.
func (c *Config) Policy() Policy { return c.policy }

// TimeoutScale is the factor given to TimeoutScale, 1 by default.
func (c *Config) TimeoutScale() float64 { return c.scale }

// ReportDir is the directory given to ReportDir, or "" for no reports.
func (c *Config) ReportDir() string { return c.reportDir }

// Cases selects the cases to run with patterns as in Autobahn spec files
// ("3.*", "6.4.*", "7.1.1"); the default is every case.
func Cases(patterns ...string) Option {
	return func(c *Config) { c.include = patterns }
}

// Extended adds the cases of our own catalog (section H: the opening
// handshake and extension negotiation, see cases.Extended) that test the
// runner's side to the selection. Without it only a pattern starting with
// "H" selects them; "*" is Autobahn's catalog alone.
func Extended() Option {
	return func(c *Config) { c.extended = true }
}

// Exclude leaves out the cases matching patterns ("9.*", "12.*").
func Exclude(patterns ...string) Option {
	return func(c *Config) { c.exclude = append(c.exclude, patterns...) }
}

// Strict passes only behavior OK (and INFORMATIONAL, which cannot be OK),
// and fails UNIMPLEMENTED cases instead of skipping them.
func Strict() Option {
	return func(c *Config) { c.policy = StrictPolicy }
}

// TimeoutScale multiplies the protocol timeouts (opening and closing
// handshake, server drop) and the specs' own time limits by f, for slow
// machines. The case timers stay as the catalog defines them.
func TimeoutScale(f float64) Option {
	return func(c *Config) {
		if f <= 0 {
			c.fail("harness: TimeoutScale(%v): the factor must be above zero", f)
			return
		}
		c.scale = f
	}
}

// ReportDir writes Autobahn reports (index.json, one JSON and one HTML file
// per case, index.html) into dir at the end of the suite, also when specs
// ran in parallel processes. An empty dir writes none.
func ReportDir(dir string) Option {
	return func(c *Config) { c.reportDir = dir }
}

// ChopEvery writes every frame the fuzzer sends in chops of n octets, each
// a write of its own (1 is octet-wise everywhere), instead of each case's own
// chopping.
func ChopEvery(n int) Option {
	return func(c *Config) {
		if n < 1 {
			c.fail("harness: ChopEvery(%d): the chop size must be at least 1", n)
			return
		}
		if c.random {
			c.fail("harness: ChopEvery and RandomChop exclude each other")
		}
		c.chop = n
	}
}

// RandomChop writes every frame in chops of a random size from 1 to max,
// drawn anew for every frame from seed. Seed 0 derives a seed per case from
// the run's seed (Ginkgo's --seed in suite, see Seed), so that cases
// differ; either way the seed shows in the case's chopping description for
// a replay.
func RandomChop(max int, seed int64) Option {
	return func(c *Config) {
		if max < 1 {
			c.fail("harness: RandomChop(%d, %d): the largest chop size must be at least 1", max, seed)
			return
		}
		if c.chop > 0 && !c.random {
			c.fail("harness: ChopEvery and RandomChop exclude each other")
		}
		c.chop, c.random, c.seed = max, true, seed
	}
}

// SyncEveryFrame writes every frame as a write of its own, as cases that
// ask for "sync" do.
func SyncEveryFrame() Option {
	return func(c *Config) { c.sync = true }
}

// ChopDelay pauses d after every chopped or sync write instead of the
// fuzzer's default of about 10µs.
func ChopDelay(d time.Duration) Option {
	return func(c *Config) {
		if d < 0 {
			c.fail("harness: ChopDelay(%v): the delay must not be negative", d)
			return
		}
		c.gap, c.gapSet = d, true
	}
}

// Seed is the run's own seed, from which RandomChop(max, 0) derives a
// seed per case, and where it came from, for the chopping description
// ("ginkgo --seed=5"). The zero Seed derives from 0.
type Seed struct {
	Value  int64
	Source string
}

// engineOptions are the engine options for case id, and a description of
// the chopping used, for reports and failure messages.
func (c *Config) engineOptions(id string, seed Seed) (engine.Options, string) {
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
			o.ChopSeed = caseSeed(seed.Value, id)
			how = fmt.Sprintf("derived from run seed %d", seed.Value)
			if seed.Source != "" {
				how = "derived from " + seed.Source
			}
		}
		desc = fmt.Sprintf("random chop sizes 1-%d for every frame, seed %d (%s; replay with RandomChop(%d, %d))",
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
