package suite

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/wirelog"
	"github.com/wsfuzz/autobahn/report"
)

func TestLabels(t *testing.T) {
	for _, tc := range []struct {
		role, agent, id string
		want            []string
	}{
		{RoleClient, "gorilla", "3.4", []string{"3.x", "case:3.4", "client", "agent:gorilla"}},
		{RoleServer, "my/ws (fast)", "9.1.6", []string{"9.x", "case:9.1.6", "server", "agent:my-ws -fast-", "slow"}},
		{RoleServer, "x", "12.1.1", []string{"12.x", "case:12.1.1", "server", "agent:x", "compression"}},
		{RoleClient, "x", "13.7.18", []string{"13.x", "case:13.7.18", "client", "agent:x", "compression"}},
	} {
		if got := Labels(tc.role, tc.agent, tc.id); !slices.Equal(got, tc.want) {
			t.Errorf("Labels(%q, %q, %q) = %q, want %q", tc.role, tc.agent, tc.id, got, tc.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []Option
		want string
	}{
		{"unknown case", []Option{Cases("99.1")}, `unknown case id "99.1"`},
		{"unknown excluded case", []Option{Exclude("1.1.99")}, `unknown case id "1.1.99"`},
		{"chop 0", []Option{ChopEvery(0)}, "ChopEvery(0): the chop size must be at least 1"},
		{"random chop 0", []Option{RandomChop(0, 1)}, "RandomChop(0, 1): the largest chop size must be at least 1"},
		{"both chops", []Option{ChopEvery(2), RandomChop(4, 0)}, "ChopEvery and RandomChop exclude each other"},
		{"scale", []Option{TimeoutScale(0)}, "TimeoutScale(0): the factor must be above zero"},
		{"delay", []Option{ChopDelay(-time.Second)}, "ChopDelay(-1s): the delay must not be negative"},
	} {
		_, err := harness.Client("x", gorillaClient, tc.opts...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := harness.Server("", nil); err == nil || !strings.Contains(err.Error(), "agent name is empty") ||
		!strings.Contains(err.Error(), "no target given") {
		t.Errorf("empty agent and no target: got %v", err)
	}
	opts, decorators := split([]any{Cases("3.*"), Exclude("3.7"), ginkgo.Serial, Strict()})
	r := newClient(t, "x", gorillaClient, opts...)
	if !slices.Equal(r.IDs(), []string{"3.1", "3.2", "3.3", "3.4", "3.5", "3.6"}) {
		t.Errorf("ids: %q", r.IDs())
	}
	if len(decorators) != 1 || r.Config().Policy() != assertions.Strict {
		t.Errorf("decorators: %v, policy %v", decorators, r.Config().Policy())
	}
}

// newClient and newServer are runners, or the test fails.
func newClient(t *testing.T, agent string, client ClientFunc, opts ...Option) *harness.Runner {
	t.Helper()
	r, err := harness.Client(agent, client, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newServer(t *testing.T, agent string, target Target, opts ...Option) *harness.Runner {
	t.Helper()
	r, err := harness.Server(agent, target, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// txFrames are the frames the fuzzer sent, after the handshake.
func txFrames(r *report.Result) []report.WireEntry {
	var out []report.WireEntry
	for _, e := range r.Wirelog {
		if e.Kind == wirelog.TxFrame {
			out = append(out, e)
		}
	}
	return out
}

func run(t *testing.T, r *harness.Runner, id string) (*report.Result, string) {
	t.Helper()
	res, chopping, err := play(context.Background(), r, id)
	if err != nil {
		t.Fatal(err)
	}
	return res, chopping
}

// TestChopping checks that the chopping options reach the wire and show in
// the wire log: 1.1.2 sends one 125-octet text frame, then a close.
func TestChopping(t *testing.T) {
	t.Run("own", func(t *testing.T) {
		res, desc := run(t, newServer(t, "g", Handler(gorillaServer)), "1.1.2")
		for _, f := range txFrames(res) {
			if f.Chop != nil || f.Sync {
				t.Errorf("frame chopped or sync without options: %+v", f)
			}
		}
		if desc != "each case's own chop sizes" || res.Behavior != "OK" {
			t.Errorf("got %q, %s", desc, res.Behavior)
		}
	})
	t.Run("every 1", func(t *testing.T) {
		res, desc := run(t, newClient(t, "g", gorillaClient, ChopEvery(1)), "1.1.2")
		for _, f := range txFrames(res) {
			if f.Chop == nil || *f.Chop != 1 {
				t.Errorf("frame not chopped by 1: %+v", f)
			}
		}
		// the 127-octet text frame and the 2-octet close: one octet per write
		if n := res.TxOctetStats[1]; n < 129 {
			t.Errorf("%d one-octet writes, want at least 129 (%v)", n, res.TxOctetStats)
		}
		if desc != "every frame in chops of 1 octets" || res.Behavior != "OK" {
			t.Errorf("got %q, %s", desc, res.Behavior)
		}
	})
	t.Run("sync", func(t *testing.T) {
		res, desc := run(t, newServer(t, "g", Handler(gorillaServer), SyncEveryFrame()), "1.1.2")
		frames := txFrames(res)
		for _, f := range frames {
			if !f.Sync {
				t.Errorf("frame not sync: %+v", f)
			}
		}
		if len(frames) == 0 || !strings.Contains(desc, "every frame written on its own") {
			t.Errorf("got %d frames, %q", len(frames), desc)
		}
	})
	t.Run("random", func(t *testing.T) {
		sizes := func(seed int64) []int {
			res, desc := run(t, newServer(t, "g", Handler(gorillaServer), RandomChop(7, seed)), "2.6")
			if !strings.Contains(desc, "seed 42 (given; replay with RandomChop(7, 42))") && seed == 42 {
				t.Errorf("description: %q", desc)
			}
			var out []int
			for _, f := range txFrames(res) {
				if f.Chop == nil || *f.Chop < 1 || *f.Chop > 7 {
					t.Fatalf("chop size out of 1-7: %+v", f)
				}
				out = append(out, *f.Chop)
			}
			return out
		}
		a, b := sizes(42), sizes(42)
		if !slices.Equal(a, b) || len(a) < 2 {
			t.Errorf("the same seed gave chop sizes %v, then %v", a, b)
		}
		_, desc := run(t, newClient(t, "g", gorillaClient, RandomChop(3, 0)), "1.1.1")
		if !strings.Contains(desc, "derived from ginkgo --seed=") {
			t.Errorf("derived seed description: %q", desc)
		}
	})
	t.Run("delay", func(t *testing.T) {
		res, desc := run(t, newServer(t, "g", Handler(gorillaServer), ChopEvery(1), ChopDelay(2*time.Millisecond)), "1.1.2")
		// at least 127 pauses of 2ms before the echo can come back
		if res.Duration < 254 || !strings.Contains(desc, "2ms after every chop") {
			t.Errorf("took %d ms with %q", res.Duration, desc)
		}
	})
}

// TestRunOne runs single cases for specs of one's own and asserts on them.
func TestRunOne(t *testing.T) {
	g := gomega.NewWithT(t)
	res, err := RunClient(context.Background(), "gorilla", gorillaClient, "1.1.1", Cases("2.*"))
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(res).To(assertions.Pass())
	g.Expect(res).To(assertions.HaveReceived(assertions.TextMessage("")))
	g.Expect(res).To(assertions.BeClosedBy(assertions.Fuzzer))
	g.Expect(res).To(assertions.HaveRemoteCloseCode(1000))

	res, err = RunServer(context.Background(), "gorilla", Handler(gorillaServer), "3.1")
	g.Expect(err).NotTo(gomega.HaveOccurred())
	g.Expect(res).To(assertions.HaveBehavior("OK"))
	g.Expect(res).To(assertions.BeClosedBy(assertions.Peer))
	g.Expect(res).To(assertions.HaveRemoteCloseCode(1002))

	_, err = RunServer(context.Background(), "gorilla", Handler(gorillaServer), "3.1", Exclude("3.*"))
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("case 3.1 is excluded")))
	_, err = RunServer(context.Background(), "gorilla", URL("http://127.0.0.1:1/"), "3.1")
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring("want ws://host:port/path")))
	_, err = RunClient(context.Background(), "gorilla", gorillaClient, "99.9")
	g.Expect(err).To(gomega.MatchError(gomega.ContainSubstring(`unknown case id "99.9"`)))
}

// TestSpoolKeepsResults checks that a result comes back from the report
// spool exactly: its per-case JSON is the same before and after.
func TestSpoolKeepsResults(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"1.2.4", "2.6", "5.19"} {
		res, _ := run(t, newServer(t, "g", Handler(gorillaServer)), id)
		if err := spool(dir, RoleServer, res); err != nil {
			t.Fatal(err)
		}
		back, err := unspool(dir, Verdict{Case: id, Role: RoleServer, Agent: "g"})
		if err != nil {
			t.Fatal(err)
		}
		want, err1 := report.MarshalIndent(res)
		got, err2 := report.MarshalIndent(back)
		if err1 != nil || err2 != nil || string(got) != string(want) {
			t.Errorf("case %s: spooled result differs (%v, %v):\n%s\nwant\n%s", id, err1, err2, got, want)
		}
		if !slices.EqualFunc(back.Received, res.Received, func(a, b report.Event) bool { return string(a.Payload) == string(b.Payload) }) {
			t.Errorf("case %s: payloads differ", id)
		}
	}
	if _, err := unspool(dir, Verdict{Case: "1.1.1", Role: RoleServer, Agent: "g"}); err == nil {
		t.Error("unspooled a result that was never spooled")
	}
}

// The focus forms docs/suite.md gives select what it says, on the full text
// Ginkgo matches: the suite's description, a space, the spec text.
func TestSpecTextFocusForms(t *testing.T) {
	for _, tc := range []struct {
		focus string
		keep  func(id string) bool
	}{
		{`^Autobahn 3\.4 `, func(id string) bool { return id == "3.4" }},
		{`^Autobahn 1\.1\.1 `, func(id string) bool { return id == "1.1.1" }},
		{`Reserved Bits`, func(id string) bool { return strings.HasPrefix(id, "3.") }},
		{`\b3\.x`, func(id string) bool { return strings.HasPrefix(id, "3.") }},
		{`^Autobahn 3\.`, func(id string) bool { return strings.HasPrefix(id, "3.") }},
		{`UTF-8 Handling`, func(id string) bool { return strings.HasPrefix(id, "6.") }},
	} {
		re := regexp.MustCompile(tc.focus)
		for _, c := range cases.All() {
			if got := re.MatchString("Autobahn " + SpecText(c)); got != tc.keep(c.ID) {
				t.Errorf("--focus=%q on %q: selected %v", tc.focus, SpecText(c), got)
			}
		}
	}
}
