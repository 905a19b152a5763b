// Package harness is the Ginkgo-free core shared by the front-ends that run
// the Autobahn catalog from go test: package suite (Ginkgo specs) and
// package autobahntest (plain testing subtests). It holds the options of a
// run (which cases, pass policy, baseline, chopping, timeouts, reports), the server
// targets (Handler, URL, URLFunc), and Runner, which plays one case against
// a client or a server and judges its result.
//
// Most users never import harness: suite and autobahntest re-export its
// options. Use it directly to drive cases from a test framework of your own:
//
//	r, err := harness.Server("myserver", harness.Handler(h), harness.Cases("3.*"))
//	...
//	for _, id := range r.IDs() {
//		res, _, err := r.Play(ctx, id, harness.Seed{})
//		...
//		if j := r.Config().Judge(res); j.Outcome == harness.Failed { ... }
//	}
//
// The example of Server runs this loop in full.
package harness
