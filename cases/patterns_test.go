package cases

import (
	"slices"
	"strings"
	"testing"
)

// idsWith are the catalog's ids that satisfy keep, in catalog order.
func idsWith(keep func(id string) bool) []string {
	var out []string
	for _, c := range All() {
		if keep(c.ID) {
			out = append(out, c.ID)
		}
	}
	return out
}

func hasPrefix(prefixes ...string) func(string) bool {
	return func(id string) bool {
		return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(id, p) })
	}
}

// Patterns select what the real fuzzer's resolveCasePatternList selects: a
// pattern with "*" is a regular expression with literal dots, matched from
// the start; anything else is one id, and an unknown id selects nothing.
func TestMatchAsTheRealFuzzer(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    []string
	}{
		{"3.*", idsWith(hasPrefix("3."))},
		{"*", idsWith(func(string) bool { return true })},
		{"9.1.*", idsWith(hasPrefix("9.1."))},
		{"(6|7).1.*", idsWith(hasPrefix("6.1.", "7.1."))},
		{"1[23].1.*", idsWith(hasPrefix("12.1.", "13.1."))},
		{"7.1.1", []string{"7.1.1"}},
		{"", nil},
		{"99.1", nil},
		{"99.*", nil},
		{"3.(", nil}, // no "*": a literal id, not an expression
		{"3.x", nil},
	} {
		got, err := Match(tc.pattern)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Match(%q) = %q, %v; want %q", tc.pattern, got, err, tc.want)
		}
	}
	if _, err := Match("(*"); err == nil || !strings.Contains(err.Error(), `bad case pattern "(*"`) {
		t.Errorf("Match of a bad expression: error %v", err)
	}
}

// Resolve refuses every pattern that selects nothing, naming it.
func TestResolveRefusesPatternsThatSelectNothing(t *testing.T) {
	for _, tc := range []struct {
		include, exclude []string
		want             string
	}{
		{[]string{"99.*"}, nil, `case pattern "99.*" matches no case`},
		{[]string{"3.*", "99.1"}, nil, `unknown case id "99.1"`},
		{[]string{""}, nil, `unknown case id ""`},
		{[]string{"*"}, []string{"12.*", "99.*"}, `case pattern "99.*" matches no case`},
		{[]string{"*"}, []string{"(*"}, `bad case pattern "(*"`},
	} {
		_, err := Resolve(tc.include, tc.exclude)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Resolve(%q, %q): error %v, want %q", tc.include, tc.exclude, err, tc.want)
		}
	}
	got, err := Resolve([]string{"3.*", "3.1", "2.1"}, []string{"3.[2-5]*"})
	if want := []string{"2.1", "3.1", "3.6", "3.7"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("Resolve = %q, %v; want %q", got, err, want)
	}
}

// Agent exclusions are expressions too, matched against the whole agent
// name and case id.
func TestAgentExclusionsAreExpressions(t *testing.T) {
	x := AgentExclusions{"(gorilla|coder)": {"6.[34].*", "7.1.1"}}
	for _, tc := range []struct {
		agent, id string
		want      bool
	}{
		{"coder", "6.3.1", true},
		{"gorilla", "6.4.2", true},
		{"gorilla", "6.5.1", false},
		{"gorilla", "7.1.1", true},
		{"gorilla", "7.1.10", false},
		{"gorillas", "6.3.1", false},
	} {
		if got := x.Excludes(tc.agent, tc.id); got != tc.want {
			t.Errorf("Excludes(%q, %q) = %v, want %v", tc.agent, tc.id, got, tc.want)
		}
	}
}
