package suite

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/wsfuzz/autobahn/cases"
)

// countingRun runs testdata/counting through the ginkgo CLI with a bound
// and args, and returns the cases its client was asked to play (in the
// order asked, repeats kept), the most played at once, and the ids of the
// specs that ran.
func countingRun(t *testing.T, bound int, args ...string) (played []string, most int, ran []string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "played")
	// gorilla fails some 6.4.x cases, so the suite's own outcome is not checked
	rep, _ := ginkgoRun(t, []string{"COUNTING_LOG=" + log, "COUNTING_PARALLEL=" + strconv.Itoa(bound)},
		append(args, "./suite/testdata/counting")...)
	b, err := os.ReadFile(log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if id, ok := strings.CutPrefix(line, "played "); ok {
			played = append(played, id)
		} else if leak, ok := strings.CutPrefix(line, "leaked "); ok {
			t.Errorf("%v: goroutines left behind: %s", args, leak)
		} else if n, ok := strings.CutPrefix(line, "most "); ok {
			m, _ := strconv.Atoi(n)
			most = max(most, m)
		}
	}
	for id, s := range ranSpecs(t, rep)[RoleClient] {
		if s.State != types.SpecStatePassed && s.State != types.SpecStateFailed {
			t.Errorf("%v: spec of %s: %s", args, id, s.State)
		}
		ran = append(ran, id)
	}
	slices.SortFunc(ran, cases.CompareIDs)
	return played, most, ran
}

// TestCLIParallelSelection runs the counting suite with filters, in one
// process and in several: exactly the cases of the specs Ginkgo selects
// are played, each once, never more at once than the bound, and in one
// process more than one at once; --dry-run plays none.
func TestCLIParallelSelection(t *testing.T) {
	for _, tc := range []struct {
		bound int
		args  []string
		want  []string // the specs that run; nil: those Ginkgo ran
	}{
		{4, []string{"--label-filter=3.x || case:1.1.1 || 6.x"}, append(append([]string{"1.1.1"}, sectionIDs(t, "3.*")...), sectionIDs(t, "6.4.*")...)},
		// the suite's label takes part in the filter
		{3, []string{"--label-filter=(counting && 2.x) || (!counting && 3.x)"}, sectionIDs(t, "2.*")},
		// and so do the registration's decorators
		{3, []string{"--label-filter=(extra && 3.x) || (!extra && 2.x)"}, sectionIDs(t, "3.*")},
		{8, []string{`--focus=^Autobahn (2\.[1-4] |5\.|9\.)`, `--skip=2\.2 |9\.2`}, []string{"2.1", "2.3", "2.4", "5.19", "5.20", "9.1.1"}},
		{1, []string{"--label-filter=2.x"}, sectionIDs(t, "2.*")},
		{4, []string{"--dry-run"}, nil},
		{4, []string{"-p", "--label-filter=3.x || 5.x"}, append(sectionIDs(t, "3.*"), "5.19", "5.20")},
		// gorilla's client fails 6.4.x: the specs after the first failure
		// do not run, and their cases do not play
		{4, []string{"--fail-fast", "--label-filter=2.x || 6.x"}, nil},
	} {
		played, most, ran := countingRun(t, tc.bound, tc.args...)
		dry := slices.Contains(tc.args, "--dry-run")
		// these cannot know ahead which specs run: one case at a time
		oneByOne := slices.Contains(tc.args, "-p") || slices.Contains(tc.args, "--fail-fast")
		if tc.want == nil && !dry {
			tc.want = ran
		}
		if !dry && !slices.Equal(ran, tc.want) {
			t.Errorf("%v: specs %q ran, want %q", tc.args, ran, tc.want)
		}
		if dry && len(ran) == 0 {
			t.Errorf("%v: no spec in the dry run's report", tc.args)
		}
		got := slices.Clone(played)
		slices.SortFunc(got, cases.CompareIDs)
		if want := slices.Clip(tc.want); !slices.Equal(got, want) {
			t.Errorf("%v: the cases played were %q, want exactly %q", tc.args, got, want)
		}
		switch {
		case most > tc.bound:
			t.Errorf("%v: %d cases played at once, above the bound of %d", tc.args, most, tc.bound)
		case oneByOne && most > 1:
			t.Errorf("%v: %d cases played at once", tc.args, most)
		case tc.bound > 1 && !dry && !oneByOne && most < 2:
			t.Errorf("%v: at most %d case played at once with a bound of %d", tc.args, most, tc.bound)
		}
		t.Logf("%v: %d specs, %d cases played, at most %d at once", tc.args, len(ran), len(played), most)
	}
}
