// Package container runs the real Autobahn fuzzer, the
// crossbario/autobahn-testsuite image, with testcontainers-go: in
// fuzzingclient mode against a WebSocket server on the host, or in
// fuzzingserver mode for a WebSocket client on the host. The spec file goes
// into the container, the reports (index.json and one JSON file per case)
// come out into a directory of the host, and the container is removed.
//
// The results are the same report format our own wstest writes, read with
// package report, and become Ginkgo specs with the labels, pass policy and
// matchers of the in-process suite (see Server and Client):
//
//	var _ = container.Server("myserver", func() string { return serverURL }, container.Cases("1.*", "2.*"))
//	var _ = container.Client("myclient", myEcho, container.Exclude("9.*", "12.*", "13.*"))
//
// or, without Ginkgo, FuzzingClient and FuzzingServer return the results.
//
// The package lives in a module of its own so that users of the in-process
// harness never pull in Docker's libraries.
//
// Offline use: the image is pulled only when the engine does not have it
// (never with a tag already present), and the Ryuk reaper is not needed:
// set TESTCONTAINERS_RYUK_DISABLED=true; every container is removed by this
// package. Where no Docker engine answers, Available says why, and the
// Ginkgo specs skip with that message, unless AUTOBAHN_REQUIRE_DOCKER is set
// (the nightly switch), which turns the skip into a failure.
package container
