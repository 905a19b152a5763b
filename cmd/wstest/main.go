// Command wstest runs the Autobahn WebSocket fuzzer, compatible with the real
// wstest's fuzzing modes and spec files:
//
//	wstest -m fuzzingserver -s fuzzingserver.json   # test clients
//	wstest -m fuzzingclient -s fuzzingclient.json   # test servers
//	wstest -m fuzzingclient -w ws://127.0.0.1:9002  # test one server, all cases
//
// The spec file's fields keep the real wstest's meaning (url, outdir, cases,
// exclude-cases, exclude-agent-cases, options, servers); a field, option or
// case pattern it cannot honour is refused with an error naming it.
//
// Reports go to the spec's outdir (./reports/clients or ./reports/servers by
// default), as the real wstest writes them: index.json and index.html, and
// for every case a JSON file and an HTML page (<agent>_case_<id>.json and
// .html). index.json is written last, so one that exists is complete. As in
// the real wstest, a run does not merge into a report already in outdir:
// index.json and index.html list the cases of this run only, and the
// per-case files of other cases stay beside them (unlike suite.ReportDir
// and autobahntest.ReportDir, which merge).
//
// Like the real fuzzing server, /updateReports?shutdownOnComplete=true
// writes the reports, then ends the connection without a close frame and
// stops (the real one stops before its close frame leaves): a client driver
// takes the connection's end as the reports' being written.
//
// Flags:
//
//	-m, --mode          fuzzingserver (test clients) or fuzzingclient (test servers)
//	-s, --spec          the spec file (default fuzzingserver.json or fuzzingclient.json here)
//	-w, --wsuri         fuzzingclient: the server to test when the spec lists none
//	--listen ADDR       fuzzingserver: listen on ADDR (default 127.0.0.1 and the url's port)
//	--max-duration D    bound the whole run: stop after D, write the reports of the
//	                    cases run and name the cases left out
//	-u, --webport       accepted and ignored (no web server)
//	--parallel N        fuzzingclient: cases played at once (default the spec's
//	                    "parallel", else a bound from the CPU count; 1 is serial)
//	--strict            pass only behavior OK (and INFORMATIONAL)
//	--extended          also run our own cases of section H (the opening handshake and
//	                    extension negotiation) that test the mode's side
//	--baseline FILE     judge against expected results (a baseline or an index.json)
//	--write-baseline F  record the run's failures in F instead of failing on them
//	-d, --debug         debug mode: no protocol timeouts; every frame printed
//	-c, --cert FILE     fuzzingserver: PEM certificate for a wss:// url (spec "cert")
//	-k, --key FILE      fuzzingserver: PEM private key for a wss:// url (spec "key")
//	-self-signed-ca F   fuzzingserver: make a self-signed certificate, write its CA to F
//	-cafile FILE        fuzzingclient: trust these CAs for wss:// servers
//	-insecure           fuzzingclient: do not verify wss:// certificates
//
// Beyond the catalog, -m fuzz plays the catalog's frames and then random
// mutations of them against a server (-w), or against clients that connect
// to it (--listen), judged by RFC 6455 (as autobahntest.FuzzServer and
// FuzzClient do), and saves each failing script to --outdir; -m replay
// plays saved scripts again:
//
//	wstest -m fuzz -w ws://127.0.0.1:9002 [--count N] [--duration D] [--seed S] [--outdir DIR] [--bound D]
//	wstest -m replay -w ws://127.0.0.1:9002 FILE...
//	wstest -m fuzz --listen 127.0.0.1:9001 [--count N] [--duration D] [--seed S] [--outdir DIR] [--bound D]
//	wstest -m replay --listen 127.0.0.1:9001 FILE...
//
// With --listen, each WebSocket connection plays one script, one connection
// at a time, on an Autobahn client driver's paths: /runCase?case=N&agent=A
// plays script N (the same script for the same --seed), any other path the
// next script, /getCaseCount answers the number of scripts (--count, or the
// files replayed) and /updateReports ends the run.
//
// Ctrl-C (or SIGTERM) stops a run as --max-duration does: the case running is
// cut short and not judged, the reports of the cases run are written and the
// cases left out are named. A second Ctrl-C ends the command at once.
//
// Exit status: 0 when every case passed under the pass policy (--strict) or
// the baseline, and for -h; 1 when a case failed; 2 for bad flags or spec
// files, a server that cannot be reached, reports that cannot be written and
// a run cut by --max-duration; 128 plus the signal's number (130 for Ctrl-C)
// when a signal stopped the run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wsfuzz/autobahn/harness"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		signal.Stop(signals) // a second Ctrl-C ends the process at once
		cancel(stoppedBy{sig})
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(signals)
	os.Exit(exitCode(err, os.Stderr))
}

// stoppedBy is the cause of the run's end when a signal stopped it.
type stoppedBy struct{ sig os.Signal }

func (s stoppedBy) Error() string { return "stopped by signal " + s.sig.String() }

// exitCode is the exit status for the outcome of run, whose error it
// prints: 0 for success and for -h, 1 when a case failed, 128 plus the
// signal's number when a signal stopped the run (as a shell reports it), 2
// for anything else.
func exitCode(err error, stderr io.Writer) int {
	var sig stoppedBy
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errCasesFailed):
		return 1
	case errors.As(err, &sig):
		fmt.Fprintln(stderr, "wstest:", err)
		if n, ok := sig.sig.(syscall.Signal); ok {
			return 128 + int(n)
		}
		return 1
	}
	fmt.Fprintln(stderr, "wstest:", err)
	return 2
}

// config is the command line.
type config struct {
	mode, spec, wsURI string
	listen            string
	webport           int
	debug             bool
	maxDuration       time.Duration
	strict            bool
	extended          bool
	baseline          string
	writeBaseline     string
	tls               tlsFlags
	parallel          int // 0 when not given
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flagSet(c)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	parallelGiven := false
	fs.Visit(func(f *flag.Flag) { parallelGiven = parallelGiven || f.Name == "parallel" })
	if parallelGiven && c.parallel < 1 {
		return nil, fmt.Errorf("flag -parallel: must be at least 1, got %d", c.parallel)
	}
	if c.maxDuration < 0 {
		return nil, fmt.Errorf("flag -max-duration: must not be negative, got %v", c.maxDuration)
	}
	return c, nil
}

// flagSet defines the command's flags into c.
func flagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("wstest", flag.ContinueOnError)
	for _, name := range []string{"m", "mode"} {
		fs.StringVar(&c.mode, name, "", "mode: fuzzingserver (test clients) or fuzzingclient (test servers)")
	}
	for _, name := range []string{"s", "spec"} {
		fs.StringVar(&c.spec, name, "", "spec file (default fuzzingserver.json or fuzzingclient.json in the current directory)")
	}
	for _, name := range []string{"w", "wsuri"} {
		fs.StringVar(&c.wsURI, name, "", "fuzzingclient: the server URL to test when the spec lists no servers")
	}
	fs.StringVar(&c.listen, "listen", "", "fuzzingserver: address to listen on (default 127.0.0.1 and the port of the spec's url; use 0.0.0.0:PORT inside a container)")
	for _, name := range []string{"u", "webport"} {
		fs.IntVar(&c.webport, name, 0, "accepted for compatibility; no web server is started")
	}
	fs.DurationVar(&c.maxDuration, "max-duration", 0, "bound the whole run (e.g. 10m): when it passes, stop, write the reports of the cases run and name the cases not reached (exit status 2)")
	fs.BoolVar(&c.extended, "extended", false, "also run wsfuzz's own cases (section H: the opening handshake and extension negotiation) that test the mode's side; without it only the spec's \"cases\" run, and \"*\" is Autobahn's 517")
	fs.BoolVar(&c.strict, "strict", false, "pass only behavior OK (and INFORMATIONAL); the default policy also passes NON-STRICT and skips UNIMPLEMENTED")
	fs.StringVar(&c.baseline, "baseline", "", "judge the cases against the expected results in this file (a baseline or an Autobahn index.json) instead of the pass policy alone")
	fs.StringVar(&c.writeBaseline, "write-baseline", "", "record the run's failures in this baseline file (created or updated) instead of failing on them")
	fs.IntVar(&c.parallel, "parallel", 0, fmt.Sprintf("fuzzingclient: cases played at once against a server, each on its own connection (default the spec's \"parallel\", else %d; 1 plays them one after the other, as the real fuzzer)", harness.DefaultParallel()))
	for _, name := range []string{"d", "debug"} {
		fs.BoolVar(&c.debug, name, false, "debug mode: no protocol timeouts (open, close, drop), the cases' timers stay; print every frame as it goes")
	}
	c.tls.register(fs)
	return fs
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if fuzzMode(args) {
		return runFuzzMode(ctx, args, stdout, stderr)
	}
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	j, err := newJudging(c)
	if err != nil {
		return err
	}
	p := newProgress(stdout)
	p.judge = j.add
	switch c.mode {
	case "fuzzingserver":
		if c.parallel != 0 {
			return fmt.Errorf("flag -parallel: only for -m fuzzingclient (a fuzzing server plays the cases its clients ask for)")
		}
		err = runServer(ctx, c, p, stdout, stderr)
	case "fuzzingclient":
		err = runClient(ctx, c, p, stdout)
	case "":
		return fmt.Errorf("flag -m (mode) is required: fuzzingserver or fuzzingclient")
	default:
		return fmt.Errorf("flag -m: unknown mode %q (want fuzzingserver or fuzzingclient)", c.mode)
	}
	if err != nil {
		return err
	}
	return j.finish(stdout)
}
