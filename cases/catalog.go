package cases

import (
	"fmt"
	"github.com/wsfuzz/autobahn/internal/caseid"
	"regexp"
	"slices"
	"strings"
	"sync"
)

var (
	registry   = map[string]*Case{}
	sortedOnce sync.Once
	sorted     []*Case // Autobahn's catalog
	extended   []*Case // our own
	index      map[string]int
)

// ExtendedPrefix starts the id of every case of our own catalog ("H.1.1").
// A pattern that starts with "H" selects among those cases only, every
// other pattern among Autobahn's: "*" is Autobahn's 517 cases and "H.*"
// ours.
const ExtendedPrefix = caseid.ExtendedPrefix

// register adds cases to the catalog; each family file calls it from init.
func register(cs ...*Case) {
	for _, c := range cs {
		if _, dup := registry[c.ID]; dup {
			panic("cases: duplicate case id " + c.ID)
		}
		registry[c.ID] = c
	}
}

func build() {
	sortedOnce.Do(func() {
		for _, c := range registry {
			if IsExtended(c.ID) {
				extended = append(extended, c)
			} else {
				sorted = append(sorted, c)
			}
		}
		byID := func(a, b *Case) int { return CompareIDs(a.ID, b.ID) }
		slices.SortFunc(sorted, byID)
		slices.SortFunc(extended, byID)
		index = make(map[string]int, len(registry))
		for i, c := range append(slices.Clip(sorted), extended...) {
			index[c.ID] = i + 1
		}
	})
}

// All returns every case of Autobahn's catalog in id order.
func All() []*Case {
	build()
	return sorted
}

// Extended returns every case of our own catalog (section H: the opening
// handshake and extension negotiation) in id order. They run only when
// asked for: no pattern but those starting with "H" selects them.
func Extended() []*Case {
	build()
	return extended
}

// IsExtended reports whether id names a case of our own catalog.
func IsExtended(id string) bool { return caseid.IsExtended(id) }

// ByID returns the case with the given id, of either catalog.
func ByID(id string) (*Case, bool) {
	build()
	c, ok := registry[id]
	return c, ok
}

// Index is the 1-based position of id in the whole catalog (the case number
// the fuzzer reports in client mode and uses with the default spec); our
// own cases follow Autobahn's 517.
func Index(id string) int {
	build()
	return index[id]
}

// CompareIDs orders case ids as tuples of numbers ("2.10" after "2.9");
// our own cases ("H.1.1") come after Autobahn's.
func CompareIDs(a, b string) int { return caseid.Compare(a, b) }

// patternRegexp translates a case or agent pattern as the real fuzzer does:
// every "." becomes a literal dot, every "*" any run of characters, and the
// rest is a regular expression, matched from the start of the id (to its end
// too when anchored, as agent exclusions are).
func patternRegexp(p string, anchored bool) (*regexp.Regexp, error) {
	expr := "^" + strings.ReplaceAll(strings.ReplaceAll(p, ".", `\.`), "*", ".*")
	if anchored {
		expr += "$"
	}
	return regexp.Compile(expr)
}

// Match returns the ids of the cases a pattern of a spec's "cases" or
// "exclude-cases" selects, in catalog order, as the real fuzzer resolves it:
// a pattern with "*" is a regular expression in which "." is a literal dot
// and "*" any run of characters, matched from the start of the id ("3.*",
// "6.4.*", "*", "[1-3].*"); any other pattern is one literal id. A literal
// id that is not in the catalog selects nothing; only a pattern that is not
// a valid expression is an error. A pattern that starts with "H" selects
// among our own cases (Extended), every other among Autobahn's.
func Match(pattern string) ([]string, error) {
	build()
	if !strings.Contains(pattern, "*") {
		if _, ok := registry[pattern]; ok {
			return []string{pattern}, nil
		}
		return nil, nil
	}
	re, err := patternRegexp(pattern, false)
	if err != nil {
		return nil, fmt.Errorf("bad case pattern %q: %w", pattern, err)
	}
	among := sorted
	if strings.HasPrefix(pattern, ExtendedPrefix[:1]) {
		among = extended
	}
	var out []string
	for _, c := range among {
		if re.MatchString(c.ID) {
			out = append(out, c.ID)
		}
	}
	return out, nil
}

// MatchAll is Match of every pattern: an error names the first pattern that
// is not valid or, with strict, that selects no case.
func MatchAll(patterns []string, strict bool) ([]string, error) {
	var out []string
	for _, p := range patterns {
		ids, err := Match(p)
		switch {
		case err != nil:
			return nil, err
		case len(ids) == 0 && strict && !strings.Contains(p, "*"):
			return nil, fmt.Errorf("unknown case id %q", p)
		case len(ids) == 0 && strict:
			return nil, fmt.Errorf("case pattern %q matches no case", p)
		}
		out = append(out, ids...)
	}
	return out, nil
}

// Resolve turns the "cases" and "exclude-cases" patterns of a spec into the
// sorted list of case ids to run (patterns as in Match). Every pattern of
// either list must select at least one case: an unknown id or a pattern
// that matches nothing is an error naming it.
func Resolve(include, exclude []string) ([]string, error) {
	in, err := MatchAll(include, true)
	if err != nil {
		return nil, err
	}
	ex, err := MatchAll(exclude, true)
	if err != nil {
		return nil, err
	}
	return Subtract(in, ex), nil
}

// ForPeer returns the ids of ids whose case tests a server (server true) or
// a client, in the same order: Autobahn's cases test both, each handshake
// case one side.
func ForPeer(ids []string, server bool) []string {
	var out []string
	for _, id := range ids {
		if c, ok := ByID(id); ok && c.Applies(server) {
			out = append(out, id)
		}
	}
	return out
}

// Subtract returns the ids of in that are not in ex, without duplicates, in
// catalog order.
func Subtract(in, ex []string) []string {
	drop := map[string]bool{}
	for _, id := range ex {
		drop[id] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range in {
		if !drop[id] && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	slices.SortFunc(out, CompareIDs)
	return out
}

// AgentExclusions are the "exclude-agent-cases" of a spec: agent pattern to
// case patterns, both matched against the whole string.
type AgentExclusions map[string][]string

// Excludes reports whether case id is excluded for agent.
func (x AgentExclusions) Excludes(agent, id string) bool {
	for ap, cps := range x {
		are, err := patternRegexp(ap, true)
		if err != nil || !are.MatchString(agent) {
			continue
		}
		for _, cp := range cps {
			if cre, err := patternRegexp(cp, true); err == nil && cre.MatchString(id) {
				return true
			}
		}
	}
	return false
}

// Validate checks that every pattern compiles.
func (x AgentExclusions) Validate() error {
	for ap, cps := range x {
		if _, err := patternRegexp(ap, true); err != nil {
			return fmt.Errorf("bad agent pattern %q: %w", ap, err)
		}
		for _, cp := range cps {
			if _, err := patternRegexp(cp, true); err != nil {
				return fmt.Errorf("bad case pattern %q for agent %q: %w", cp, ap, err)
			}
		}
	}
	return nil
}
