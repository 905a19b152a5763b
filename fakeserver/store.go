package fakeserver

import (
	"sort"
	"sync"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
)

// store holds the results by agent and case id, and lets callers wait for
// one.
type store struct {
	mu      sync.Mutex
	results map[CaseRef]*report.Result
	waiting map[CaseRef]*arrival
}

// arrival is a result waited for: done is closed once res is set.
type arrival struct {
	done    chan struct{}
	res     *report.Result
	waiters int
}

func newStore() *store {
	return &store{results: map[CaseRef]*report.Result{}, waiting: map[CaseRef]*arrival{}}
}

// put stores res (a rerun replaces the result before it) and hands it to
// whoever waits for it.
func (st *store) put(res *report.Result) {
	k := CaseRef{res.Agent, res.ID}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.results[k] = res
	if a := st.waiting[k]; a != nil {
		a.res = res
		close(a.done)
		delete(st.waiting, k)
	}
}

// forget drops the result of k, so that a wait for k waits for the next one.
func (st *store) forget(k CaseRef) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.results, k)
}

// get returns the result of k.
func (st *store) get(k CaseRef) (*report.Result, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.results[k]
	return r, ok
}

// await returns the arrival of k's result, done at once when it is stored.
// The caller calls release when it no longer waits.
func (st *store) await(k CaseRef) (a *arrival, release func()) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if res, ok := st.results[k]; ok {
		a = &arrival{done: make(chan struct{}), res: res}
		close(a.done)
		return a, func() {}
	}
	if a = st.waiting[k]; a == nil {
		a = &arrival{done: make(chan struct{})}
		st.waiting[k] = a
	}
	a.waiters++
	return a, func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		if a.waiters--; a.waiters == 0 && st.waiting[k] == a {
			delete(st.waiting, k)
		}
	}
}

// all returns every result, sorted by agent and case id.
func (st *store) all() []*report.Result {
	st.mu.Lock()
	var out []*report.Result
	for _, r := range st.results {
		out = append(out, r)
	}
	st.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Agent != out[j].Agent {
			return out[i].Agent < out[j].Agent
		}
		return cases.CompareIDs(out[i].ID, out[j].ID) < 0
	})
	return out
}

// busy counts the connections that may still store a result: those not yet
// known to be control connections, and those running a case.
type busy struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed while n is 0
}

func newBusy() *busy {
	b := &busy{zero: make(chan struct{})}
	close(b.zero)
	return b
}

func (b *busy) add() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		b.zero = make(chan struct{})
	}
	b.n++
}

func (b *busy) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n--; b.n == 0 {
		close(b.zero)
	}
}

// idle is closed once no connection is busy (at once when none is now).
func (b *busy) idle() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.zero
}
