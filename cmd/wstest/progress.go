package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wsfuzz/autobahn/internal/plural"
	"github.com/wsfuzz/autobahn/report"
)

// progress reports finished cases: on a terminal one line rewritten in
// place with the counts so far, otherwise one line per case.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	tty    bool
	n      int // results so far of the peer being tested
	total  int // cases to run against that peer
	ran    int // results so far of the whole run
	counts map[report.Verdict]int
	judge  func(*report.Result) // called with every result first, if set
	start  time.Time
}

func newProgress(w io.Writer) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, tty: tty, counts: map[report.Verdict]int{}, start: time.Now()}
}

func (p *progress) result(r *report.Result) {
	if p.judge != nil {
		p.judge(r)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	p.ran++
	p.counts[r.Behavior]++
	if !p.tty {
		fmt.Fprintf(p.w, "case %d of %d: %s %s: %s / %s (%d ms)\n", p.n, p.total, r.Agent, r.ID, r.Behavior, r.BehaviorClose, r.Duration)
		return
	}
	fmt.Fprintf(p.w, "\r\033[Kcase %d of %d: %s %s  [%s]", p.n, p.total, r.Agent, r.ID, p.summary())
}

func (p *progress) summary() string {
	keys := make([]report.Verdict, 0, len(p.counts))
	for k := range p.counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, p.counts[k])
	}
	return strings.Join(parts, ", ")
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.ran > 0 {
		fmt.Fprintln(p.w)
	}
	if p.ran == 0 {
		fmt.Fprintln(p.w, "No case was run.")
		return
	}
	// the case lines give each case's own duration; cases played at once
	// overlap, so the run's wall time is said here, once
	fmt.Fprintf(p.w, "%s run: %s (%v in all)\n", plural.Count(p.ran, "case"), p.summary(), time.Since(p.start).Round(time.Millisecond))
}
