package autobahntest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

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
	bound := play.Bound(s.bound)
	seedOf := map[string]string{}
	for _, sd := range script.Seeds() {
		in := script.Encode(sd.Script)
		seedOf[string(in)] = sd.Name
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		msg, err := play.Run(t.Context(), in, fuzzerIsClient, bound, exec)
		if err != nil {
			t.Fatalf("autobahntest: %s %q: %v", play.PeerRole(fuzzerIsClient), agent, err)
		}
		if msg != "" {
			origin := "decoded from the fuzz input"
			if name, ok := seedOf[string(in)]; ok {
				origin = "the seed of Autobahn " + strings.ReplaceAll(strings.TrimPrefix(name, "case_"), "_", ".")
			}
			t.Fatalf("%s %q broke RFC 6455 (script %s):\n%s\n\n%s", play.PeerRole(fuzzerIsClient), agent, origin, msg, replay(t))
		}
	})
}

// replay is the command that plays the failing input again.
func replay(t *testing.T) string {
	name := t.Name()
	if i := strings.Index(name, "/"); i >= 0 {
		return fmt.Sprintf("replay: go test -run='^%s$/^%s$'", name[:i], name[i+1:])
	}
	return fmt.Sprintf("replay: go test -run=%s/<file>, the file go test -fuzz writes under testdata/fuzz/%s/ (its name follows)", name, name)
}
