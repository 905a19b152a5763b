package report

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Merge writes results into the report in dir, keeping what the report
// already has: a case of results replaces the case of the same agent and id
// there, the other cases stay as they are (their pages are not rewritten),
// and index.json and index.html list them all. Without a report in dir it
// writes one, as Write does. A case of the old report whose JSON file cannot
// be read is dropped from the index, and Merge says so in its error after
// writing everything else; so does an index.json that cannot be read, which
// is replaced.
func Merge(dir string, results []*Result) error {
	kept, keepErr := keptCases(dir, results)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: create %s: %w", dir, err)
	}
	all := append(append([]*Result(nil), kept...), results...)
	for _, step := range []func() error{
		func() error { return writeCasePages(dir, results) },
		func() error { return writeCaseJSON(dir, results) },
		func() error { return writeIndexHTML(dir, all) },
		func() error { return writeIndexJSON(dir, all) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return keepErr
}

// keptCases reads the cases of the report in dir that results do not
// replace, in a stable order.
func keptCases(dir string, results []*Result) ([]*Result, error) {
	idx, err := ReadIndex(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("report: the report in %s could not be merged, so it was replaced: %w", dir, err)
	}
	replaced := map[[2]string]bool{}
	for _, r := range results {
		replaced[[2]string{r.Agent, r.ID}] = true
	}
	var kept []*Result
	var errs []error
	for agent, byID := range idx {
		for id, e := range byID {
			if replaced[[2]string{agent, id}] {
				continue
			}
			r, err := ReadResult(filepath.Join(dir, e.ReportFile))
			if err != nil {
				errs = append(errs, fmt.Errorf("report: case %s of %s left out of the merged report in %s: %w", id, agent, dir, err))
				continue
			}
			r.Agent, r.ID = agent, id
			kept = append(kept, r)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].Agent != kept[j].Agent {
			return kept[i].Agent < kept[j].Agent
		}
		return kept[i].ID < kept[j].ID
	})
	return kept, errors.Join(errs...)
}
