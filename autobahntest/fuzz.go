package autobahntest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
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
// server in failure messages.
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
func fuzz(f *testing.F, agent string, fuzzerIsClient bool, opts []FuzzOption, exec func(context.Context, script.Script, time.Duration) (play.Result, error)) {
	s := fuzzSettings{bound: play.DefaultBound}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	bound := play.Bound(s.bound)
	seedOf := map[string]string{}
	for _, sd := range script.Seeds() {
		in := script.Encode(sd.Script)
		seedOf[string(in)] = sd.Name
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		msg, err := runScript(t.Context(), in, fuzzerIsClient, bound, exec)
		if err != nil {
			t.Fatalf("autobahntest: %s %q: %v", role(fuzzerIsClient), agent, err)
		}
		if msg != "" {
			origin := "decoded from the fuzz input"
			if name, ok := seedOf[string(in)]; ok {
				origin = "the seed of Autobahn " + strings.ReplaceAll(strings.TrimPrefix(name, "case_"), "_", ".")
			}
			t.Fatalf("%s %q broke RFC 6455 (script %s):\n%s\n\n%s", role(fuzzerIsClient), agent, origin, msg, replay(t))
		}
	})
}

// role names the peer under test.
func role(fuzzerIsClient bool) string {
	if fuzzerIsClient {
		return "server"
	}
	return "client"
}

// runScript plays the script decoded from in and judges the run: "" when it
// passes, else the rules broken, the script in words, what the peer sent
// and the wire log.
func runScript(ctx context.Context, in []byte, fuzzerIsClient bool, bound time.Duration, exec func(context.Context, script.Script, time.Duration) (play.Result, error)) (string, error) {
	sc := script.Decode(in).Finished()
	res, err := exec(ctx, sc, bound)
	if err != nil {
		return "", err
	}
	fails := oracle.Judge(sc, fuzzerIsClient, res.Obs)
	if slices.ContainsFunc(fails, timedOut) {
		// A loaded machine can stall a peer past the bound: a hang counts
		// only if it outlasts ten bounds in a second run.
		if res, err = exec(ctx, sc, confirmFactor*bound); err != nil {
			return "", err
		}
		fails = oracle.Judge(sc, fuzzerIsClient, res.Obs)
	}
	if len(fails) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s\n\nthe script (the fuzzer's close is added when it sends none):\n%s\n\nwhat the %s sent:\n%s\n\nthe wire log:\n%s",
		failures(fails), sc, role(fuzzerIsClient), peerFrames(res.Obs), res.Log), nil
}

// confirmFactor multiplies the bound of the run that confirms a hang.
const confirmFactor = 10

// timedOut reports whether f is a failure of a bound.
func timedOut(f oracle.Failure) bool {
	return f.Rule == oracle.RuleHang || f.Rule == oracle.RuleReturn
}

// failures lists the rules broken, one a paragraph.
func failures(fs []oracle.Failure) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  - %v\n", f.Error())
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// peerFrames describes what the peer did: its frames and how it ended.
func peerFrames(obs oracle.Observation) string {
	const shown = 40
	frames, rest := oracle.ParseFrames(obs.Received)
	var b strings.Builder
	for i, f := range frames {
		if i == shown {
			fmt.Fprintf(&b, "  ... %d frames more\n", len(frames)-shown)
			break
		}
		fmt.Fprintf(&b, "  %2d. %v\n", i+1, f)
	}
	if len(frames) == 0 {
		b.WriteString("  no frame\n")
	}
	if rest > 0 {
		fmt.Fprintf(&b, "  then %d octets that are no whole frame\n", rest)
	}
	switch {
	case obs.Panic != "":
		b.WriteString("  then it panicked")
	case obs.Hang:
		b.WriteString("  then it hung: " + obs.HangDetail)
	default:
		b.WriteString("  then the connection ended")
	}
	return b.String()
}

// replay is the command that plays the failing input again.
func replay(t *testing.T) string {
	name := t.Name()
	if i := strings.Index(name, "/"); i >= 0 {
		return fmt.Sprintf("replay: go test -run='^%s$/^%s$'", name[:i], name[i+1:])
	}
	return fmt.Sprintf("replay: go test -run=%s/<file>, the file go test -fuzz writes under testdata/fuzz/%s/ (its name follows)", name, name)
}
