package mutants

import (
	"context"
	"slices"
	"testing"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/play"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// act is a frame of n octets of the dictionary's "*" pattern.
func act(op byte, fin bool, n int) script.Action {
	star := slices.IndexFunc(script.Dictionary, func(p []byte) bool { return string(p) == "*" })
	return script.Action{Opcode: op, Fin: fin, Pattern: star, Length: n}
}

// triggers are, per mutant, a script that meets its condition and the
// rule the oracle must find broken.
func triggers() map[string]struct {
	acts []script.Action
	rule oracle.Rule
} {
	rsv := act(frame.OpContinuation, true, 3)
	rsv.RSV = 1
	split := script.Action{Kind: script.CloseBody, Opcode: frame.OpClose, Fin: true, Code: 1000, Chop: 1}
	type trig = struct {
		acts []script.Action
		rule oracle.Rule
	}
	return map[string]trig{
		"ServerRSVContinuation":        {[]script.Action{act(frame.OpText, false, 3), rsv}, oracle.RuleNoEchoAfter},
		"ClientRSVContinuation":        {[]script.Action{act(frame.OpText, false, 3), rsv}, oracle.RuleNoEchoAfter},
		"ServerPingInBinaryFragments":  {[]script.Action{act(frame.OpBinary, false, 3), act(frame.OpPing, true, 1), act(0, true, 1)}, oracle.RulePanic},
		"ClientPingInBinaryFragments":  {[]script.Action{act(frame.OpBinary, false, 3), act(frame.OpPing, true, 1), act(0, true, 1)}, oracle.RulePanic},
		"ServerShortEcho16BitFragment": {[]script.Action{act(frame.OpText, false, 126), act(0, true, 1)}, oracle.RuleEcho},
		"ServerCloseSplitHang":         {[]script.Action{act(frame.OpText, true, 3), split}, oracle.RuleHang},
		"ClientEmptyPingInFragments":   {[]script.Action{act(frame.OpText, false, 3), act(frame.OpPing, true, 0), act(0, true, 1)}, oracle.RulePong},
		"ServerLongPingShortPong":      {[]script.Action{act(frame.OpPing, true, 125)}, oracle.RulePong},
		"ClientNoCloseReply":           {[]script.Action{act(frame.OpText, true, 3)}, oracle.RuleCloseReply},
	}
}

// run plays s against m and judges it.
func run(t *testing.T, l *play.Listener, m Mutant, s script.Script) []oracle.Failure {
	t.Helper()
	var (
		res play.Result
		err error
	)
	if m.Server != nil {
		res, err = play.Server(context.Background(), m.Server, s, play.Bound(play.DefaultBound))
	} else {
		res, err = play.Client(context.Background(), l, m.Client, s, play.Bound(play.DefaultBound))
	}
	if err != nil {
		t.Fatal(err)
	}
	return oracle.Judge(s, m.Server != nil, res.Obs)
}

// TestFaults plays each mutant a script that meets its condition, which
// must break the mutant's rule, and one that does not, which must pass.
func TestFaults(t *testing.T) {
	l, err := play.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	trig := triggers()
	for _, m := range All() {
		t.Run(m.Name, func(t *testing.T) {
			tr, ok := trig[m.Name]
			if !ok {
				t.Fatal("no trigger for this mutant")
			}
			s := script.Script{Actions: tr.acts}.Finished()
			fails := run(t, l, m, s)
			if !slices.ContainsFunc(fails, func(f oracle.Failure) bool { return f.Rule == tr.rule }) {
				t.Errorf("the trigger broke %v, want rule %q:\n%v", fails, tr.rule.Name, s)
			}
			clean := script.Script{Actions: []script.Action{act(frame.OpText, false, 3), act(frame.OpPing, true, 2), act(0, true, 2)}}.Finished()
			if fails := run(t, l, m, clean); m.PassesCatalog && len(fails) != 0 {
				t.Errorf("a script without the condition broke %v", fails)
			}
		})
	}
}
