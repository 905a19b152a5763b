// Package peeropts gives the fake peers (fakeclient, fakeserver) engine
// options from inside the module: the harness and wstest set what their
// public API leaves out (chopping, TLS, traces, the scheduler's activity
// hook), while users set the Autobahn options by name. The fake peers
// install these functions when they are loaded, which every caller that
// names their Config makes sure of.
package peeropts

import "github.com/wsfuzz/autobahn/internal/engine"

var (
	// ClientConfig sets the engine options of a *fakeclient.Config.
	ClientConfig func(cfg any, o engine.Options)
	// ServerConfig sets the engine options of a *fakeserver.Config.
	ServerConfig func(cfg any, o engine.Options)
)
