// Package autobahntest runs the Autobahn catalog from plain go test, with
// the standard testing package and no Ginkgo: every selected case is a
// subtest named by its case id.
//
//	func TestAutobahnClient(t *testing.T) {
//		autobahntest.Client(t, "myclient", func(ctx context.Context, url string) error {
//			return myws.EchoUntilClosed(ctx, url)
//		})
//	}
//
//	func TestAutobahnServer(t *testing.T) {
//		autobahntest.Server(t, "myserver", autobahntest.Handler(myws.EchoHandler()),
//			autobahntest.Exclude("12.*", "13.*"))
//	}
//
// The subtests are TestAutobahnServer/1.1.1, TestAutobahnServer/3.4 and so
// on, so go test's own flags select and report them:
//
//	go test -run 'TestAutobahnServer/^3\.'       # section 3 (unanchored, 3\. also matches 13.3.1)
//	go test -run '/^6\.4\.'                      # 6.4.x of every Autobahn test
//	go test -run '^TestAutobahnServer$/^3\.4$'   # one case
//	go test -short                               # skips 9.x, 12.x and 13.x
//	go test -json                                # one test per case for gotestsum and CI
//
// A case passes under the pass policy of the options (see Strict). A case
// that is UNIMPLEMENTED under the default policy (compression the peer did
// not negotiate) is skipped with the fuzzer's reason. A failing case's
// message shows the verdicts with the fuzzer's reasons, the expected and
// observed events, the expected close, the close codes, how the connection
// ended, the end of the wire log (report.Summary), and the go test command
// that re-runs that case alone; with -v the whole wire log follows.
//
// A server that is not an http.Handler is given by its URL (URL, URLFunc).
//
// Every case runs on its own listener on 127.0.0.1 and a free port, with a
// time limit of its own (the case's timers plus the handshakes, scaled by
// TimeoutScale). The cases run as parallel subtests, at most Parallel(n) at
// a time (harness.DefaultParallel by default; Parallel(1) runs them one
// after the other) and as many as go test's -parallel flag allows (give it
// more than the CPU count: most cases wait rather than compute); the parent
// test may call t.Parallel itself too. The subtests share one harness
// Runner, made when Client or Server is called. Call Client or Server once per
// test function, since both name subtests by case id alone. Bad options,
// or options that select no case, fail the test.
//
// The options are package harness's, which the Ginkgo front-end, package
// suite, shares, with the same names and meanings: Option is harness.Option,
// so any harness option works here too.
//
// # Fuzzing
//
// FuzzServer and FuzzClient go beyond the catalog: they are fuzz targets
// for go test -fuzz, judged by RFC 6455 rather than by the catalog's
// expectations.
//
//	func FuzzMyServer(f *testing.F) {
//		autobahntest.FuzzServer(f, "mylib", mylib.EchoHandler())
//	}
//
// Every input decodes to a script: frames of any opcode, FIN and RSV bits,
// length form, payload and masking, the chopping of the writes, closes with
// any code and reason, a TCP half-close. The seed corpus holds the frames of
// the catalog's cases (sections 1-10), so fuzzing starts from the catalog's
// coverage. A server runs over an in-memory connection, a client dials a
// loopback listener. Each run is judged by MUST-level rules only (no panic,
// no hang, valid frames for the role, echoes unchanged and in order, none
// after a violation nor of a message left unfinished, pongs, close
// replies), each accepting every choice the RFC leaves a peer. A failure
// shows the rules broken with their RFC
// sections, the script in words, the peer's frames, the wire log and the
// command that replays it. Without -fuzz the seeds and the inputs under
// testdata/fuzz run as ordinary subtests, so every finding stays a
// regression test. KnownFinding declares a rule the peer is known to
// break, so that fuzzing goes on past it: runs that break that rule alone
// pass and are logged, and failures and the target's summary list it.
package autobahntest
