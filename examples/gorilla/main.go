// Command gorilla runs the whole Autobahn catalog against gorilla/websocket,
// in both roles, in one process, and writes Autobahn-compatible reports:
//
//	go run ./examples/gorilla -out reports
//
// reports/servers holds the run of the fuzzer as client against gorilla's
// echo server, reports/clients the run of the fuzzer as server against
// gorilla's echo client. It is also a template for testing your own code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
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
	summary("gorilla server", servers)
	summary("gorilla client", clients)
	return nil
}

// runClients plays the cases against gorilla's echo client, up to parallel
// at once (the heavy 9.x, 12.x and 13.x at most GOMAXPROCS at once), and
// returns the results in case order.
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

func summary(name string, rs []*report.Result) {
	counts := map[string]int{}
	for _, r := range rs {
		counts[r.Behavior+"/"+r.BehaviorClose]++
	}
	fmt.Printf("%s: %v\n", name, counts)
}
