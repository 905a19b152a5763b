// Command wstest runs the Autobahn WebSocket fuzzer, compatible with the real
// wstest's fuzzing modes and spec files:
//
//	wstest -m fuzzingserver -s fuzzingserver.json   # test clients
//	wstest -m fuzzingclient -s fuzzingclient.json   # test servers
//	wstest -m fuzzingclient -w ws://127.0.0.1:9002  # test one server, all cases
//
// Reports (index.json, one JSON file per case) go to the spec's outdir.
// The exit status is 0 when every case passed under the pass policy
// (-strict) or the baseline (-baseline FILE), 1 when one failed, and 2 for
// usage and configuration errors and runs cut short; -write-baseline FILE
// records the run's failures instead of failing on them.
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitStatus(err))
}

// exitStatus is 0 when every case passed under the policy or baseline, 1
// when one failed, and 2 for usage and configuration errors and runs cut
// short.
func exitStatus(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errCasesFailed):
		return 1
	case !errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(os.Stderr, "wstest:", err)
	}
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
	baseline          string
	writeBaseline     string
	tls               tlsFlags
	parallel          int // 0 when not given
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("wstest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &config{}
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
	fs.BoolVar(&c.strict, "strict", false, "pass only behavior OK (and INFORMATIONAL); the default policy also passes NON-STRICT and skips UNIMPLEMENTED")
	fs.StringVar(&c.baseline, "baseline", "", "judge the cases against the expected results in this file (a baseline or an Autobahn index.json) instead of the pass policy alone")
	fs.StringVar(&c.writeBaseline, "write-baseline", "", "record the run's failures in this baseline file (created or updated) instead of failing on them")
	fs.IntVar(&c.parallel, "parallel", 0, fmt.Sprintf("fuzzingclient: cases played at once against a server, each on its own connection (default the spec's \"parallel\", else %d; 1 plays them one after the other, as the real fuzzer)", harness.DefaultParallel()))
	for _, name := range []string{"d", "debug"} {
		fs.BoolVar(&c.debug, name, false, "debug mode: no protocol timeouts (open, close, drop), the cases' timers stay; print every frame as it goes")
	}
	c.tls.register(fs)
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
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
