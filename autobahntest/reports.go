package autobahntest

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"

	"github.com/wsfuzz/autobahn/report"
)

// A report directory's index covers every agent that wrote there in this
// process; each test's cleanup merges the results of the tests that have
// ended so far into the report already in the directory (report.Merge, as
// package suite does): a run of some cases replaces those and keeps the
// others.

var (
	dirsMu sync.Mutex
	dirs   = map[string]*reportDir{}
)

// reportDir is what the tests of this process wrote into one directory.
type reportDir struct {
	writing map[string]bool             // agents whose tests still run
	done    map[string][]*report.Result // results of agents whose tests ended
}

// collector gathers the results of one test's cases for its report
// directory. A nil collector gathers nothing.
type collector struct {
	dir, agent string
	mu         sync.Mutex
	results    []*report.Result
}

// claim makes agent a writer of dir. Two tests with one agent name running
// at once in one directory would overwrite each other's files.
func claim(dir, agent string) (*collector, error) {
	dir = filepath.Clean(dir)
	name := report.CleanAgent(agent)
	dirsMu.Lock()
	defer dirsMu.Unlock()
	d := dirs[dir]
	if d == nil {
		d = &reportDir{writing: map[string]bool{}, done: map[string][]*report.Result{}}
		dirs[dir] = d
	}
	if d.writing[name] {
		return nil, fmt.Errorf("autobahntest: report directory %s already has a running test of agent %q; give each its own agent name or directory", dir, name)
	}
	d.writing[name] = true
	return &collector{dir: dir, agent: name}, nil
}

func (c *collector) add(res *report.Result) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results = append(c.results, res)
}

// write ends the collector's test and merges the results into the
// directory's report.
func (c *collector) write() error {
	c.mu.Lock()
	results := slices.Clone(c.results)
	c.mu.Unlock()
	dirsMu.Lock()
	defer dirsMu.Unlock()
	d := dirs[c.dir]
	delete(d.writing, c.agent)
	d.done[c.agent] = results
	var all []*report.Result
	for _, agent := range slices.Sorted(maps.Keys(d.done)) {
		all = append(all, d.done[agent]...)
	}
	if len(all) == 0 {
		return nil
	}
	if err := report.Merge(c.dir, all); err != nil {
		return fmt.Errorf("autobahntest: report in %s: %w", c.dir, err)
	}
	return nil
}
