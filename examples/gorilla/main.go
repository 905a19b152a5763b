// Command gorilla runs the whole Autobahn catalog against gorilla/websocket,
// in both roles, in one process, and writes Autobahn-compatible reports:
//
//	go run ./examples/gorilla -out reports
//
// reports/servers holds the run of the fuzzer as client against gorilla's
// echo server, reports/clients the run of the fuzzer as server against
// gorilla's echo client. It is also a template for testing your own code.
//
// The echo peers are gorilla's plain ones, with its defaults: they do not
// check that text messages are valid UTF-8 (gorilla leaves that to the
// application), so 75 cases of 6.x fail in each role, and they do not
// negotiate permessage-deflate, so the 216 cases of 12.x and 13.x are
// UNIMPLEMENTED. The summary at the end says so; example_test.go at the
// repository root checks UTF-8 and passes 6.x.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

func main() {
	out := flag.String("out", "reports", "report directory")
	include := flag.String("cases", "*", "comma-separated case patterns")
	exclude := flag.String("exclude", "", "comma-separated case patterns to leave out")
	parallel := flag.Int("parallel", harness.DefaultParallel(), "cases played at once per role (1: one after the other)")
	flag.Parse()
	if *parallel < 1 {
		log.Fatalf("flag -parallel: must be at least 1, got %d", *parallel)
	}
	if err := run(*out, split(*include), split(*exclude), *parallel); err != nil {
		log.Fatal(err)
	}
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// echoServer is gorilla's echo server with library defaults.
func echoServer(w http.ResponseWriter, r *http.Request) {
	conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.SetReadLimit(64 << 20)
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return
		}
	}
}

// echoClient is gorilla's echo client: dial, echo until closed.
func echoClient(ctx context.Context, url string) error {
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetReadLimit(64 << 20)
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	for {
		mt, msg, err := conn.ReadMessage()
		if err != nil {
			return nil
		}
		if err := conn.WriteMessage(mt, msg); err != nil {
			return nil
		}
	}
}

func run(out string, include, exclude []string, parallel int) error {
	ids, err := cases.Resolve(include, exclude)
	if err != nil {
		return err
	}
	start := time.Now()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: http.HandlerFunc(echoServer)}
	go hs.Serve(ln)
	defer hs.Close()
	servers, err := fakeclient.Run(context.Background(), fakeclient.Config{
		URL: "ws://" + ln.Addr().String() + "/", Agent: "gorilla", Cases: ids, Parallel: parallel,
		Progress: func(n, total int, r *report.Result) { progress("server", n, total, r) },
	})
	if err != nil {
		return err
	}
	if err := report.Write(filepath.Join(out, "servers"), servers); err != nil {
		return err
	}

	clients, err := runClients(include, exclude, parallel)
	if err != nil {
		return err
	}
	if err := report.Write(filepath.Join(out, "clients"), clients); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\n%d cases per role in %v; reports in %s/servers and %s/clients\n",
		len(ids), time.Since(start).Round(time.Millisecond), out, out)
	summary(os.Stdout, "gorilla server", servers)
	summary(os.Stdout, "gorilla client", clients)
	return nil
}

// runClients plays the cases against gorilla's echo client, up to parallel
// at once (the heavy 9.x, 12.x and 13.x within the process-wide bound that
// harness.Parallel describes), and returns the results in case order.
func runClients(include, exclude []string, parallel int) ([]*report.Result, error) {
	r, err := harness.Client("gorilla", echoClient, harness.Cases(include...), harness.Exclude(exclude...), harness.Parallel(parallel))
	if err != nil {
		return nil, err
	}
	ids := r.IDs()
	clients := make([]*report.Result, len(ids))
	errs := make([]error, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	done := 0
	for i, id := range ids {
		wg.Go(func() {
			clients[i], _, errs[i] = r.Play(context.Background(), id, harness.Seed{})
			if errs[i] == nil {
				mu.Lock()
				done++
				progress("client", done, len(ids), clients[i])
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return clients, errors.Join(errs...)
}

// progress rewrites one status line on a terminal and stays quiet otherwise.
func progress(role string, n, total int, r *report.Result) {
	if st, err := os.Stderr.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
		fmt.Fprintf(os.Stderr, "\r\033[K%s: case %d of %d (%s)", role, n, total, r.ID)
	}
}

// knownCauses say why gorilla's plain echo peers do not pass a section, by
// the section's first number.
var knownCauses = map[string]string{
	"6": "gorilla leaves the UTF-8 check of text messages to the application, and this plain echo does " +
		"not check, so it echoes invalid UTF-8 instead of failing the connection with 1007 " +
		"(example_test.go checks, and passes these cases)",
}

// summary prints a role's verdict counts, the most frequent first, then the
// cases that do not pass under the default policy, by section, with their
// cause where it is known. UNIMPLEMENTED cases are compression cases that
// gorilla's defaults do not negotiate.
func summary(w io.Writer, name string, rs []*report.Result) {
	counts := map[string]int{}
	failing := map[string][]string{}
	var sections []string
	for _, r := range rs {
		counts[string(r.Behavior+" / "+r.BehaviorClose)]++
		if assertions.Lenient.Skips(r) || assertions.Lenient.Accepts(r) {
			continue
		}
		sec, _, _ := strings.Cut(r.ID, ".")
		if failing[sec] == nil {
			sections = append(sections, sec)
		}
		failing[sec] = append(failing[sec], r.ID)
	}
	verdicts := make([]string, 0, len(counts))
	for v := range counts {
		verdicts = append(verdicts, v)
	}
	sort.Slice(verdicts, func(i, j int) bool {
		if counts[verdicts[i]] != counts[verdicts[j]] {
			return counts[verdicts[i]] > counts[verdicts[j]]
		}
		return verdicts[i] < verdicts[j]
	})
	fmt.Fprintf(w, "%s: %d cases\n", name, len(rs))
	for _, v := range verdicts {
		fmt.Fprintf(w, "  %4d  %s\n", counts[v], v)
	}
	if n := counts["UNIMPLEMENTED / OK"]; n > 0 {
		fmt.Fprintf(w, "  UNIMPLEMENTED: %d compression cases (12.x, 13.x): gorilla's defaults do not negotiate permessage-deflate\n", n)
	}
	for _, sec := range sections {
		ids := failing[sec]
		shown := strings.Join(ids[:min(len(ids), 6)], " ")
		if len(ids) > 6 {
			shown += " ..."
		}
		cause, ok := knownCauses[sec]
		if !ok {
			cause = "see the reports for each case's reasons"
		}
		fmt.Fprintf(w, "  not passing: %d cases of %s.x (%s): %s\n", len(ids), sec, shown, cause)
	}
}
