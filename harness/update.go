package harness

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/wsfuzz/autobahn/internal/baseline"
	"github.com/wsfuzz/autobahn/report"
)

// Observation is a case's result as a baseline update needs it. Its JSON
// form travels in report entries between parallel test processes.
type Observation struct {
	// Path is the baseline file to update.
	Path          string         `json:"path"`
	Role          string         `json:"role"`
	Agent         string         `json:"agent"`
	Case          string         `json:"case"`
	Behavior      report.Verdict `json:"behavior"`
	BehaviorClose report.Verdict `json:"behaviorClose"`
	// Passes: the result passes under the policy (or is skipped), so the
	// baseline need not list it.
	Passes bool `json:"passes"`
}

// Observe is res as an update of the run's baseline records it.
func (c *Config) Observe(res *report.Result) Observation {
	return Observation{Path: c.baselinePath, Role: roleOf(res), Agent: res.Agent, Case: res.ID,
		Behavior: res.Behavior, BehaviorClose: res.BehaviorClose, Passes: c.passes(res)}
}

// WriteBaselines updates every baseline file named in obs from them: a
// case that does not pass gets its observed verdicts (keeping the entry's
// reason), a case that passes loses its entry, flaky entries stay as they
// are, and the entries of cases not observed stay. Files are written in
// this package's format, also when they were an index.json; a missing file
// is created.
func WriteBaselines(obs []Observation) error {
	byPath := map[string][]Observation{}
	for _, o := range obs {
		byPath[o.Path] = append(byPath[o.Path], o)
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var errs []error
	for _, p := range paths {
		if err := writeBaseline(p, byPath[p]); err != nil {
			errs = append(errs, fmt.Errorf("harness: update baseline: %w", err))
		}
	}
	return errors.Join(errs...)
}

func writeBaseline(path string, obs []Observation) error {
	f, err := baseline.Read(path)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = baseline.New(), nil
	}
	if err != nil {
		return err
	}
	for _, o := range obs {
		old, had := f.Lookup(o.Role, o.Agent, o.Case)
		switch {
		case had && old.Flaky:
		case o.Passes:
			f.Delete(o.Role, o.Agent, o.Case)
		default:
			f.Set(baseline.Entry{Role: o.Role, Agent: o.Agent, Case: o.Case,
				Behavior: o.Behavior, BehaviorClose: o.BehaviorClose, Reason: old.Reason})
		}
	}
	return f.Write(path)
}
