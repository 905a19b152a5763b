package harness

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
)

// TestTimeoutScale checks that the protocol timeouts and the cases' time
// limits scale.
func TestTimeoutScale(t *testing.T) {
	r, err := Client("g", func(context.Context, string) error { return nil }, TimeoutScale(3))
	if err != nil {
		t.Fatal(err)
	}
	o, _ := r.cfg.engineOptions("1.1.1", Seed{})
	if o.CloseHandshakeTimeout != 3*time.Second || o.OpenHandshakeTimeout != 15*time.Second {
		t.Errorf("scaled timeouts: close %v, open %v", o.CloseHandshakeTimeout, o.OpenHandshakeTimeout)
	}
	c, _ := cases.ByID("1.1.1")
	if got, want := r.Limit(c), time.Duration(3*float64(c.MaxDuration()+20*time.Second)); got != want {
		t.Errorf("limit %v, want %v", got, want)
	}
}

// TestDerivedSeed checks that RandomChop(max, 0) derives a seed per case
// from the run's seed and says so.
func TestDerivedSeed(t *testing.T) {
	cfg, err := NewConfig(RandomChop(4, 0))
	if err != nil {
		t.Fatal(err)
	}
	a, desc := cfg.engineOptions("1.1.1", Seed{Value: 7, Source: "ginkgo --seed=7"})
	b, _ := cfg.engineOptions("1.1.2", Seed{Value: 7})
	c, _ := cfg.engineOptions("1.1.1", Seed{Value: 7})
	if a.ChopSeed == b.ChopSeed || a.ChopSeed != c.ChopSeed || a.ChopSeed == 0 {
		t.Errorf("seeds: 1.1.1 %d, 1.1.2 %d, 1.1.1 again %d", a.ChopSeed, b.ChopSeed, c.ChopSeed)
	}
	if !strings.Contains(desc, "derived from ginkgo --seed=7") {
		t.Errorf("description %q", desc)
	}
}

// TestJudge checks the outcomes under both policies.
func TestJudge(t *testing.T) {
	lenient, _ := NewConfig()
	strict, _ := NewConfig(Strict())
	for _, tc := range []struct {
		behavior, close string
		lenient, strict Outcome
	}{
		{"OK", "OK", Passed, Passed},
		{"NON-STRICT", "OK", Passed, Failed},
		{"INFORMATIONAL", "INFORMATIONAL", Passed, Passed},
		{"UNIMPLEMENTED", "OK", Skipped, Failed},
		{"OK", "UNCLEAN", Failed, Failed},
		{"FAILED", "OK", Failed, Failed},
	} {
		res := &report.Result{ID: "1.1.1", Behavior: report.Verdict(tc.behavior), BehaviorClose: report.Verdict(tc.close)}
		if got := lenient.Judge(res); got.Outcome != tc.lenient || (got.Outcome != Passed) != (got.Reason != "") {
			t.Errorf("lenient %s/%s: %v", tc.behavior, tc.close, got)
		}
		if got := strict.Judge(res).Outcome; got != tc.strict {
			t.Errorf("strict %s/%s: %v", tc.behavior, tc.close, got)
		}
	}
}

// TestPlayUnselected refuses a case the options leave out.
func TestPlayUnselected(t *testing.T) {
	r, err := Client("g", func(context.Context, string) error { return nil }, Cases("2.*"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Play(context.Background(), "1.1.1", Seed{}); err == nil || !strings.Contains(err.Error(), "excluded by the options") {
		t.Errorf("got %v", err)
	}
}
