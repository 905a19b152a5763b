package libs

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/play"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// TestFindings plays the minimal script of each known finding of doc.go
// against the library's echo peer and checks that the rules declared for
// it break, and that a valid close passes: the evidence that the findings
// are the libraries' own and still stand. When a library fixes one, this
// test fails and its KnownFinding goes.
func TestFindings(t *testing.T) {
	l, err := play.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	notUTF8 := slices.IndexFunc(script.Dictionary, func(p []byte) bool { return !utf8.Valid(p) })
	closeWith := func(code uint16, reason, n int) script.Script {
		return script.Script{Actions: []script.Action{{Kind: script.CloseBody, Opcode: frame.OpClose, Fin: true, Code: code, Pattern: reason, Length: n}}}.Finished()
	}
	star := slices.IndexFunc(script.Dictionary, func(p []byte) bool { return string(p) == "*" })
	unfinished := script.Script{Actions: []script.Action{{Opcode: frame.OpText, Pattern: star, Length: 3}, {Kind: script.HalfClose}}}
	masked := script.Script{Actions: []script.Action{{Opcode: frame.OpBinary, Fin: true, BadMask: true, Pattern: star, Length: 3}}}.Finished()
	for _, tc := range []struct {
		peer  string
		s     script.Script
		rules []oracle.Rule
	}{
		{"coder-server", closeWith(1000, notUTF8, 4), []oracle.Rule{oracle.RuleCloseBody}},
		{"coder-client", closeWith(1000, notUTF8, 4), []oracle.Rule{oracle.RuleCloseBody}},
		{"coder-server", unfinished, []oracle.Rule{oracle.RuleUnfinished}},
		{"coder-client", unfinished, []oracle.Rule{oracle.RuleUnfinished}},
		{"coder-client", masked, []oracle.Rule{oracle.RuleNoEchoAfter}},
		{"gobwas-server", closeWith(5000, 0, 0), []oracle.Rule{oracle.RuleCloseBody}},
		{"gobwas-server", closeWith(65535, 0, 0), []oracle.Rule{oracle.RuleCloseBody}},
		{"gobwas-client", closeWith(5000, 0, 0), []oracle.Rule{oracle.RuleCloseBody}},
		{"gobwas-client", closeWith(999, 0, 0), []oracle.Rule{oracle.RuleMasking, oracle.RuleCloseBody}},
		{"gobwas-client", closeWith(1000, notUTF8, 4), []oracle.Rule{oracle.RuleMasking, oracle.RuleCloseBody}},
	} {
		t.Run(fmt.Sprintf("%s/%v", tc.peer, tc.rules[0].Name), func(t *testing.T) {
			broken := judge(t, l, tc.peer, tc.s)
			for _, r := range tc.rules {
				if !slices.Contains(broken, r) {
					t.Errorf("rule %q not broken (broken: %v); has the library fixed it?\n%v", r.Name, broken, tc.s)
				}
			}
			if len(broken) > len(tc.rules) {
				t.Errorf("broke %v, want only %v", broken, tc.rules)
			}
			if broken := judge(t, l, tc.peer, closeWith(1000, 0, 0)); len(broken) != 0 {
				t.Errorf("a valid close broke %v", broken)
			}
		})
	}
	// The other libraries keep the rules on the same scripts.
	for _, peer := range []string{"gorilla-server", "gws-server", "gorilla-client", "gws-client"} {
		for _, s := range []script.Script{unfinished, masked, closeWith(1000, notUTF8, 4), closeWith(5000, 0, 0), closeWith(999, 0, 0)} {
			if broken := judge(t, l, peer, s); len(broken) != 0 {
				t.Errorf("%s broke %v on\n%v", peer, broken, s)
			}
		}
	}
	for _, peer := range []string{"gobwas-server", "gobwas-client", "coder-server"} {
		for _, s := range []script.Script{unfinished, masked} {
			if peer == "coder-server" && s.Actions[0].Opcode == frame.OpText {
				continue // the finding above
			}
			if broken := judge(t, l, peer, s); len(broken) != 0 {
				t.Errorf("%s broke %v on\n%v", peer, broken, s)
			}
		}
	}
}

// judge plays s against the named peer and returns the rules it broke.
func judge(t *testing.T, l *play.Listener, peer string, s script.Script) []oracle.Rule {
	t.Helper()
	var (
		res play.Result
		err error
	)
	if h := servers[peer]; h != nil {
		res, err = play.Server(context.Background(), h, s, play.Bound(play.DefaultBound))
	} else {
		res, err = play.Client(context.Background(), l, play.ClientFunc(clients[peer]), s, play.Bound(play.DefaultBound))
	}
	if err != nil {
		t.Fatal(err)
	}
	var rules []oracle.Rule
	for _, f := range oracle.Judge(s, servers[peer] != nil, res.Obs) {
		t.Logf("%s: %v\nthe peer sent % x", peer, f, res.Obs.Received)
		rules = append(rules, f.Rule)
	}
	return rules
}
