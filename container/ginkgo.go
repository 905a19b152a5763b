package container

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/suite"
)

// Label is the Ginkgo label every spec of this package carries besides the
// in-process suite's labels: ginkgo --label-filter='container && 3.x'.
const Label = "container"

// dockerCheck is Available, asked once per process for every registration.
var dockerCheck = sync.OnceValue(func() error { return Available(context.Background()) })

var announce sync.Once

// Server registers an ordered Ginkgo container with one spec per selected
// case that tests the WebSocket server at the URL that url returns, with
// the real fuzzer in a container as the client (fuzzingclient mode). url is
// called once, when the container's first spec is about to run, so a
// BeforeSuite may start the server; it returns the URL as the host reaches
// it. cfg.Agent names the server. args are Ginkgo decorators, and
// assertions.Strict to pass only behavior OK.
func Server(cfg Config, url func() string, args ...any) bool {
	if url == nil {
		return registerError(suite.RoleServer, cfg.Agent, errors.New("container: Server: no URL function given"))
	}
	return register(suite.RoleServer, cfg, args, func(ctx context.Context, c Config) (*Reports, error) {
		return FuzzingClient(ctx, c, url())
	})
}

// Client registers an ordered Ginkgo container with one spec per selected
// case that tests the WebSocket client client, with the real fuzzer in a
// container as the server (fuzzingserver mode). cfg.Agent names the client.
// args are Ginkgo decorators, and assertions.Strict to pass only behavior
// OK.
func Client(cfg Config, client ClientFunc, args ...any) bool {
	if client == nil {
		return registerError(suite.RoleClient, cfg.Agent, errors.New("container: Client: no client function given"))
	}
	return register(suite.RoleClient, cfg, args, func(ctx context.Context, c Config) (*Reports, error) {
		return FuzzingServer(ctx, c, client)
	})
}

// register adds the container: a BeforeAll that checks for Docker, runs the
// fuzzer once and keeps its reports, then one spec per case that judges the
// case's result as the in-process suite does. The container continues after
// a failed spec, as every case is judged on its own.
func register(role string, cfg Config, args []any, run func(context.Context, Config) (*Reports, error)) bool {
	policy := assertions.Lenient
	decorators := []any{ginkgo.Ordered, ginkgo.ContinueOnFailure, ginkgo.Label(Label)}
	for _, a := range args {
		if p, ok := a.(assertions.Policy); ok {
			policy = p
		} else {
			decorators = append(decorators, a)
		}
	}
	ids, err := cfg.selection()
	if err != nil {
		return registerError(role, cfg.Agent, err)
	}
	image := cfg.Image.ref()
	var reports *Reports
	body := func() {
		ginkgo.BeforeAll(func(ctx ginkgo.SpecContext) {
			if err := dockerCheck(); err != nil {
				msg := UnavailableMessage(err)
				if Required() {
					ginkgo.Fail(msg)
				}
				// a skipped spec shows no message unless verbose: this
				// entry shows it once per process
				announce.Do(func() { ginkgo.AddReportEntry("autobahn container", msg, ginkgo.ReportEntryVisibilityAlways) })
				ginkgo.Skip(msg)
			}
			c := cfg
			if c.ReportDir == "" {
				c.ReportDir = ginkgo.GinkgoT().TempDir()
			}
			if c.Log == nil {
				c.Log = ginkgo.GinkgoWriter
			}
			var err error
			reports, err = run(ctx, c)
			if err != nil {
				// the error's own text, not a struct dump
				ginkgo.Fail(err.Error())
			}
		}, ginkgo.NodeTimeout(cfg.timeout()+time.Minute))
		for _, id := range ids {
			c, _ := cases.ByID(id)
			ginkgo.It(suite.SpecText(c), suite.Labels(role, cfg.Agent, id), func() {
				judge(reports, role, &cfg, policy, image, id)
			})
		}
	}
	ginkgo.Describe(fmt.Sprintf("%s %q against the real Autobahn fuzzer (%s)", role, cfg.Agent, image),
		append(decorators, body)...)
	return true
}

// judge is the body of case id's spec.
func judge(reports *Reports, role string, cfg *Config, policy assertions.Policy, image, id string) {
	res := reports.Result(cfg.Agent, id)
	if res == nil {
		if cases.AgentExclusions(cfg.ExcludeAgentCases).Excludes(cfg.Agent, id) {
			ginkgo.Skip(fmt.Sprintf("case %s is excluded for %q by ExcludeAgentCases", id, cfg.Agent))
		}
		ginkgo.Fail(fmt.Sprintf("case %s of %q is not in the fuzzer's reports in %s; the container's output ends with:\n%s",
			id, cfg.Agent, reports.Dir, tail(reports.Log, outputLines)))
	}
	ginkgo.AddReportEntry(suite.EntryName, suite.Verdict{Case: id, Role: role, Agent: cfg.Agent,
		Behavior: res.Behavior, BehaviorClose: res.BehaviorClose, Result: res.Result, ResultClose: res.ResultClose,
		RemoteCloseCode: res.RemoteCloseCode, Chopping: "the fuzzer's own, run by " + image},
		ginkgo.ReportEntryVisibilityFailureOrVerbose)
	ginkgo.DeferOnFailure(func() {
		ginkgo.AddReportEntry(suite.WireLogEntryName, assertions.WireLog(res.Wirelog), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	})
	if policy.Skips(res) {
		ginkgo.Skip(fmt.Sprintf("case %s is UNIMPLEMENTED: %s", id, res.Result))
	}
	gomega.Expect(res).To(assertions.PassUnder(policy), "case %s for %s %q, judged by %s", id, role, cfg.Agent, image)
}

// registerError registers a spec that fails with err, labelled with the
// role so that label filters do not hide it.
func registerError(role, agent string, err error) bool {
	ginkgo.It(fmt.Sprintf("autobahn %s %q against the real fuzzer is configured", role, agent),
		ginkgo.Label(role, Label), func() { ginkgo.Fail(err.Error()) })
	return true
}
