// Package peeropts gives the fake peers (fakeclient, fakeserver) engine
// options from inside the module: the harness and wstest set what their
// public API leaves out (chopping, TLS, traces, the scheduler's activity
// hook), while users set the Autobahn options by name. The fake peers
// install these functions when they are loaded.
package peeropts

import (
	"context"

	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/report"
)

var (
	// ClientConfig sets the engine options of a *fakeclient.Config.
	ClientConfig func(cfg any, o engine.Options)
	// ClientRunCase is fakeclient.RunCase with engine options.
	ClientRunCase func(ctx context.Context, url, agent, id string, o engine.Options) (*report.Result, error)
	// ServerConfig sets the engine options of a *fakeserver.Config.
	ServerConfig func(cfg any, o engine.Options)
)
