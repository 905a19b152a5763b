package cases

import (
	"slices"
	"testing"

	"github.com/wsfuzz/autobahn/report"
)

// TestOutcomeKeysAreBehaviors checks that the catalog names its expected
// outcomes with behavior verdicts: a case that matches an outcome gets its
// key as its behavior.
func TestOutcomeKeysAreBehaviors(t *testing.T) {
	for _, c := range append(All(), Extended()...) {
		for _, o := range c.Expected {
			if !slices.Contains(report.Behaviors, o.Key) {
				t.Errorf("case %s: outcome key %q is not a behavior verdict %q", c.ID, o.Key, report.Behaviors)
			}
		}
	}
}
