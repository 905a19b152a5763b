package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/internal/plural"
)

// runLimit is the wall-clock bound of a whole run (--max-duration), the
// signal that may stop the run before (Ctrl-C), and the cases they left out.
type runLimit struct {
	max      time.Duration
	deadline time.Time
	missed   []string // per peer: who, then the cases
	count    int
	stopped  error // why the run was stopped early, when it was
}

func newRunLimit(d time.Duration) *runLimit {
	return &runLimit{max: d, deadline: time.Now().Add(d)}
}

// remaining is the time left; ok is false once the limit has passed (and
// always true without a limit, with 0 meaning none).
func (l *runLimit) remaining() (left time.Duration, ok bool) {
	if l.max <= 0 {
		return 0, true
	}
	left = time.Until(l.deadline)
	return left, left > 0
}

// note records the cases the limit left out for who: those of cut that
// are not empty were running when the limit passed.
func (l *runLimit) note(who string, cut, notReached []string) {
	var ids []string
	for _, id := range cut {
		if id != "" {
			ids = append(ids, id+" (cut short)")
		}
	}
	ids = append(ids, notReached...)
	if len(ids) == 0 {
		return
	}
	l.count += len(ids)
	l.missed = append(l.missed, who+": "+strings.Join(ids, " "))
}

// stop records that cause (the end of the run's context) stopped the run.
func (l *runLimit) stop(cause error) {
	if l.stopped == nil {
		l.stopped = cause
	}
}

// err is nil when the run was not stopped and the limit left nothing out,
// else names why and every case left out.
func (l *runLimit) err() error {
	left := plural.Count(l.count, "case") + " not reached"
	if l.count > 0 {
		left += ": " + strings.Join(l.missed, "; ")
	}
	switch {
	case l.stopped != nil:
		return fmt.Errorf("%w: %s", l.stopped, left)
	case l.count == 0:
		return nil
	}
	return fmt.Errorf("run limit of %v reached: %s", l.max, left)
}

// noteServer records, for every agent the fuzzing server saw (or for
// "any client" when none came), the selected cases it has no result for,
// leaving out the cases excluded for the agent; the cases cut short when
// the server closed come first.
func (l *runLimit) noteServer(srv *fakeserver.Server, exclude cases.AgentExclusions) {
	done := map[string]map[string]bool{}
	cut := map[string][]string{}
	see := func(agent string) {
		if done[agent] == nil {
			done[agent] = map[string]bool{}
		}
	}
	for _, r := range srv.Results() {
		see(r.Agent)
		done[r.Agent][r.ID] = true
	}
	for _, c := range srv.CutShort() {
		see(c.Agent)
		done[c.Agent][c.ID] = true
		cut[c.Agent] = append(cut[c.Agent], c.ID)
	}
	if len(done) == 0 {
		l.note("any client", nil, srv.CaseIDs())
		return
	}
	agents := make([]string, 0, len(done))
	for a := range done {
		agents = append(agents, a)
	}
	sort.Strings(agents)
	for _, a := range agents {
		var ids []string
		for _, id := range srv.CaseIDs() {
			if !done[a][id] && !exclude.Excludes(a, id) {
				ids = append(ids, id)
			}
		}
		l.note("agent "+a, cut[a], ids)
	}
}
