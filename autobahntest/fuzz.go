package autobahntest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/play"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// FuzzOption configures FuzzServer and FuzzClient. (The catalog's Option
// does not apply: fuzzing has no cases, reports or chopping options.)
type FuzzOption func(*fuzzSettings)

type fuzzSettings struct {
	bound time.Duration
	known []knownFinding
	err   error
}

// knownFinding is a rule declared known, with why.
type knownFinding struct {
	rule oracle.Rule
	why  string
}

// KnownFinding declares a finding the peer under test is known to have, so
// that fuzzing goes on to find others: a run that breaks the oracle rule
// named rule is reported but does not fail. why says what is known (a
// sentence, an issue's URL); it is printed with every report of the rule.
//
// The rule stays checked and reported: a run that breaks it alone passes
// and logs it (seen with go test -v); a run that breaks another rule too
// fails and lists the known finding after the new one; every failure
// message names the known findings declared; without -fuzz the target ends
// with a summary of how many inputs showed each (logged, and printed when
// the target fails). A known finding hides every failure of its rule, not
// only the one known, so declare the narrowest rule and only while the bug
// stands. rule is one of the rules of the package documentation: panic,
// hang, return, masking, rsv, opcode, length, control, continuation,
// text-utf8, close-body, after-close, echo, unfinished, no-echo-after, pong,
// close-reply; another name fails the target.
func KnownFinding(rule, why string) FuzzOption {
	return func(s *fuzzSettings) {
		r, ok := oracle.RuleNamed(rule)
		if !ok {
			names := make([]string, len(oracle.Rules))
			for i, r := range oracle.Rules {
				names[i] = r.Name
			}
			s.err = errors.Join(s.err, fmt.Errorf("autobahntest: KnownFinding(%q): no such rule; the rules are %s", rule, strings.Join(names, ", ")))
			return
		}
		s.known = append(s.known, knownFinding{rule: r, why: why})
	}
}

// FuzzBound sets how long the peer may take to end the connection after a
// script, and to return once the connection is closed, before the run is a
// hang: 200ms by default, multiplied under the race detector.
func FuzzBound(d time.Duration) FuzzOption {
	return func(s *fuzzSettings) { s.bound = d }
}

// FuzzServer is a fuzz target for the WebSocket server h, an http.Handler
// that upgrades to WebSocket and echoes every message. The fuzzer plays the
// client over an in-memory connection: each input decodes to a script of
// frames, chops, closes and half-closes, and each run is judged by the RFC
// 6455 rules of the oracle (see the package documentation). The seed corpus
// holds the frames of the Autobahn catalog's cases (sections 1-10); without
// -fuzz it and testdata/fuzz/<FuzzX> run as ordinary tests. agent names the
// server in failure messages. A panic in a goroutine the server starts
// itself (not the handler's) ends the process: go test -fuzz still saves
// the input as a crasher.
func FuzzServer(f *testing.F, agent string, h http.Handler, opts ...FuzzOption) {
	f.Helper()
	if h == nil {
		f.Fatal("autobahntest: FuzzServer: no handler given")
	}
	fuzz(f, agent, true, opts, func(ctx context.Context, s script.Script, bound time.Duration) (play.Result, error) {
		return play.Server(ctx, h, s, bound)
	})
}

// FuzzClient is a fuzz target for the WebSocket client client, which dials
// the URL it is given and echoes every message until the connection
// closes. The fuzzer plays the server on a loopback listener (a client
// takes a URL, so it cannot be handed an in-memory connection); otherwise
// as FuzzServer.
func FuzzClient(f *testing.F, agent string, client ClientFunc, opts ...FuzzOption) {
	f.Helper()
	if client == nil {
		f.Fatal("autobahntest: FuzzClient: no client given")
	}
	l, err := play.Listen()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { l.Close() })
	fuzz(f, agent, false, opts, func(ctx context.Context, s script.Script, bound time.Duration) (play.Result, error) {
		return play.Client(ctx, l, play.ClientFunc(client), s, bound)
	})
}

// fuzz adds the seeds and runs the fuzz function: decode, play, judge.
func fuzz(f *testing.F, agent string, fuzzerIsClient bool, opts []FuzzOption, exec play.Exec) {
	s := fuzzSettings{bound: play.DefaultBound}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if s.err != nil {
		f.Fatal(s.err)
	}
	bound := play.Bound(s.bound)
	seedOf := map[string]string{}
	for _, sd := range script.Seeds() {
		in := script.Encode(sd.Script)
		seedOf[string(in)] = sd.Name
		f.Add(in)
	}
	tally := &knownTally{}
	f.Cleanup(func() {
		if sum := tally.summary(&s); sum != "" {
			f.Log(sum)
		}
	})
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := play.Run(t.Context(), in, fuzzerIsClient, bound, exec, s.knownRules()...)
		if err != nil {
			t.Fatalf("autobahntest: %s %q: %v", play.PeerRole(fuzzerIsClient), agent, err)
		}
		origin := "decoded from the fuzz input"
		if name, ok := seedOf[string(in)]; ok {
			origin = "the seed of Autobahn " + strings.ReplaceAll(strings.TrimPrefix(name, "case_"), "_", ".")
		}
		tally.add(t.Name(), out.Known)
		if out.Report == "" {
			for _, k := range out.Known {
				t.Logf("known finding (declared with KnownFinding, not failed): %s (script %s); %s", k.Error(), origin, s.why(k.Rule))
			}
			return
		}
		t.Fatalf("%s %q broke RFC 6455 (script %s):\n%s%s\n\n%s", play.PeerRole(fuzzerIsClient), agent, origin, out.Report, s.declared(), replay(t))
	})
}

// knownRules returns the rules declared known.
func (s *fuzzSettings) knownRules() []oracle.Rule {
	var rules []oracle.Rule
	for _, k := range s.known {
		rules = append(rules, k.rule)
	}
	return rules
}

// why is what KnownFinding said of rule r.
func (s *fuzzSettings) why(r oracle.Rule) string {
	var whys []string
	for _, k := range s.known {
		if k.rule == r && k.why != "" {
			whys = append(whys, k.why)
		}
	}
	if len(whys) == 0 {
		return "no reason given"
	}
	return "known: " + strings.Join(whys, "; ")
}

// declared lists the known findings declared, for a failure message.
func (s *fuzzSettings) declared() string {
	if len(s.known) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nknown findings declared (KnownFinding; reported, not failed):")
	for _, k := range s.known {
		fmt.Fprintf(&b, "\n  - rule %q (%s): %s", k.rule.Name, section(k.rule), k.why)
	}
	return b.String()
}

// section names the RFC section of r.
func section(r oracle.Rule) string {
	if r.Section == "" {
		return "robustness, no RFC section"
	}
	return "RFC 6455 " + r.Section
}

// knownTally counts the inputs that broke each known rule, for the
// summary at the end of the target (of this process: go test -fuzz runs
// its inputs in worker processes, whose logs it does not show).
type knownTally struct {
	mu     sync.Mutex
	inputs map[string]int
	first  map[string]string
}

func (k *knownTally) add(test string, fs []oracle.Failure) {
	if len(fs) == 0 {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.inputs == nil {
		k.inputs, k.first = map[string]int{}, map[string]string{}
	}
	for _, f := range fs {
		if k.inputs[f.Rule.Name]++; k.first[f.Rule.Name] == "" {
			k.first[f.Rule.Name] = test
		}
	}
}

// summary says how many inputs showed each known finding, "" if none did.
func (k *knownTally) summary(s *fuzzSettings) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var lines, done []string
	for _, kf := range s.known {
		name := kf.rule.Name
		if n := k.inputs[name]; n > 0 && !slices.Contains(done, name) {
			done = append(done, name)
			lines = append(lines, fmt.Sprintf("  - rule %q (%s) broken by %d inputs, the first %s; %s", name, section(kf.rule), n, k.first[name], s.why(kf.rule)))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "known findings seen (declared with KnownFinding, not failed):\n" + strings.Join(lines, "\n")
}

// replay is the command that plays the failing input again.
func replay(t *testing.T) string {
	name := t.Name()
	if i := strings.Index(name, "/"); i >= 0 {
		return fmt.Sprintf("replay: go test -run='^%s$/^%s$'", name[:i], name[i+1:])
	}
	return fmt.Sprintf("replay: go test -run=%s/<file>, the file go test -fuzz writes under testdata/fuzz/%s/ (its name follows)", name, name)
}
