package suite

import (
	"context"

	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

// RunClient plays case id against client, with the fuzzer as the server,
// and returns its result, for specs of your own that assert on it with the
// assertions package. opts are as for Client; Cases options have no effect
// here.
func RunClient(ctx context.Context, agent string, client ClientFunc, id string, opts ...Option) (*report.Result, error) {
	r, err := harness.Client(agent, client, append(opts, Cases(id))...)
	return runOne(ctx, r, err, id)
}

// RunServer plays case id against target, with the fuzzer as the client,
// and returns its result. opts are as for Server.
func RunServer(ctx context.Context, agent string, target Target, id string, opts ...Option) (*report.Result, error) {
	r, err := harness.Server(agent, target, append(opts, Cases(id))...)
	return runOne(ctx, r, err, id)
}

func runOne(ctx context.Context, r *harness.Runner, err error, id string) (*report.Result, error) {
	if err != nil {
		return nil, err
	}
	res, _, err := play(ctx, r, id)
	return res, err
}
