package suite

import (
	"context"
	"fmt"
	"slices"

	"github.com/wsfuzz/autobahn/report"
)

// RunClient plays case id against client, with the fuzzer as the server,
// and returns its result, for specs of your own that assert on it with the
// assertions package. opts are as for Client; Cases options have no effect
// here.
func RunClient(ctx context.Context, agent string, client ClientFunc, id string, opts ...Option) (*report.Result, error) {
	return runOne(ctx, newClient(agent, client, options(opts, id)), id)
}

// RunServer plays case id against target, with the fuzzer as the client,
// and returns its result. opts are as for Server.
func RunServer(ctx context.Context, agent string, target Target, id string, opts ...Option) (*report.Result, error) {
	return runOne(ctx, newServer(agent, target, options(opts, id)), id)
}

// options are opts with a selection of case id alone.
func options(opts []Option, id string) []any {
	args := make([]any, 0, len(opts)+1)
	for _, o := range opts {
		args = append(args, o)
	}
	return append(args, Cases(id))
}

func runOne(ctx context.Context, r *registration, id string) (*report.Result, error) {
	if err := r.cfg.err(); err != nil {
		return nil, err
	}
	if !slices.Contains(r.ids, id) {
		return nil, fmt.Errorf("suite: case %s is excluded by the options", id)
	}
	res, _, err := r.runCase(ctx, id)
	return res, err
}
