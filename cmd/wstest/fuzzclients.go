package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/play"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// fuzzClients tests clients (-m fuzz or -m replay with --listen): it
// listens on c.listen and plays one script on each WebSocket connection a
// client makes, one connection at a time. The paths are those of an
// Autobahn client driver: /runCase?case=N&agent=A plays script N, any other
// path the script after the last one played, /getCaseCount answers the
// number of scripts and /updateReports (a driver's last request) closes at
// once and ends the run. -m fuzz plays c.count scripts (0: no bound) or for
// c.duration, -m replay the files in order; after the last script the
// fuzzer waits c.bound for a driver's /updateReports. Failing scripts make
// the error errCasesFailed (exit status 1).
func fuzzClients(ctx context.Context, c *fuzzConfig, stdout io.Writer) error {
	var (
		inputs [][]byte // replay: the files' scripts
		total  = c.count
		seeds  = script.Seeds()
	)
	if c.mode == "replay" {
		for _, f := range c.files {
			in, err := load(f)
			if err != nil {
				return err
			}
			inputs = append(inputs, in)
		}
		total = len(inputs)
	} else if c.seed == 0 {
		c.seed = uint64(time.Now().UnixNano())
	}
	input := func(i int) []byte {
		if inputs != nil {
			return inputs[i]
		}
		return nextInput(c.seed, seeds, i)
	}

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen for clients on %s: %w", c.listen, err)
	}
	defer ln.Close()
	runCtx := ctx
	if c.mode == "fuzz" && c.duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, c.duration)
		defer cancel()
	}
	stop := context.AfterFunc(runCtx, func() { ln.Close() })
	defer stop()
	base := "ws://" + ln.Addr().String()
	if c.mode == "replay" {
		fmt.Fprintf(stdout, "replaying %d scripts to clients: listening on %s\n", total, base)
	} else {
		fmt.Fprintf(stdout, "fuzzing clients with seed %d: listening on %s\n", c.seed, base)
	}
	fmt.Fprintf(stdout, "connect to %s/runCase?case=N&agent=A for script N, or any path for the next script; /getCaseCount answers %d\n", base, total)

	played, failed, next := 0, 0, 0
	for {
		if total > 0 && played >= total {
			// The scripts are played: only a driver's /updateReports may follow.
			ln.(*net.TCPListener).SetDeadline(time.Now().Add(c.bound))
		}
		conn, err := ln.Accept()
		if err != nil {
			if runCtx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
				break
			}
			return fmt.Errorf("accept a client: %w", err)
		}
		br := bufio.NewReaderSize(conn, 4<<10)
		conn.SetReadDeadline(time.Now().Add(10 * c.bound))
		req, err := http.ReadRequest(br)
		if err != nil {
			conn.Close()
			fmt.Fprintf(stdout, "a connection sent no HTTP request: %v\n", err)
			continue
		}
		conn.SetReadDeadline(time.Time{})
		switch req.URL.Path {
		case "/getCaseCount":
			if err := play.Announce(conn, br, req, strconv.Itoa(total), c.bound); err != nil {
				fmt.Fprintf(stdout, "/getCaseCount: %v\n", err)
			}
			continue
		case "/updateReports":
			if err := play.Announce(conn, br, req, "", c.bound); err != nil {
				fmt.Fprintf(stdout, "/updateReports: %v\n", err)
			}
		}
		if req.URL.Path == "/updateReports" {
			break
		}
		if total > 0 && played >= total {
			refuse(conn, fmt.Sprintf("all %d scripts are played", total))
			continue
		}
		i := next
		if req.URL.Path == "/runCase" {
			n, err := strconv.Atoi(req.URL.Query().Get("case"))
			if err != nil || n < 1 || total > 0 && n > total {
				refuse(conn, fmt.Sprintf("case=%q: want a script number from 1 to %d", req.URL.Query().Get("case"), total))
				fmt.Fprintf(stdout, "refused %s: no script %q\n", req.URL, req.URL.Query().Get("case"))
				continue
			}
			i = n - 1
		}
		next = i + 1
		in := input(i)
		// A hang is not confirmed by a second run as in go test: the
		// client's connection is gone, so the first run's result stands
		// (--bound is the client's allowance).
		var first *play.Result
		exec := func(_ context.Context, s script.Script, bound time.Duration) (play.Result, error) {
			if first != nil {
				return *first, nil
			}
			res, err := play.ClientConn(conn, br, req, s, bound)
			first = &res
			return res, err
		}
		out, err := play.Run(ctx, in, false, c.bound, exec)
		if err != nil {
			fmt.Fprintf(stdout, "script %d not played: %v\n", i+1, err)
			continue
		}
		played++
		if out.Report == "" {
			continue
		}
		failed++
		agent := req.URL.Query().Get("agent")
		if c.mode == "replay" {
			fmt.Fprintf(stdout, "%s (agent %q) FAILED:\n%s\n\n", c.files[i], agent, out.Report)
			continue
		}
		file, err := save(c.outdir, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "script %d (agent %q) FAILED, saved to %s (wstest -m replay --listen ADDR %s, then connect the client):\n%s\n\n", i+1, agent, file, file, firstLines(out.Report, 3))
	}
	if c.mode == "replay" {
		fmt.Fprintf(stdout, "%d scripts played, %d failed\n", played, failed)
	} else {
		fmt.Fprintf(stdout, "%d scripts played, %d failed (seed %d)\n", played, failed, c.seed)
	}
	switch {
	case failed > 0:
		return fmt.Errorf("%d of %d scripts failed: %w", failed, played, errCasesFailed)
	case c.mode == "replay" && played < total:
		return fmt.Errorf("%d of %d scripts played: %w", played, total, errors.Join(ctx.Err(), errNotAllPlayed))
	}
	return nil
}

// errNotAllPlayed tells that the clients did not connect for every script.
var errNotAllPlayed = errors.New("the clients stopped connecting before every script was played")

// refuse answers a request the fuzzer cannot serve with 400 and closes.
func refuse(conn net.Conn, why string) {
	defer conn.Close()
	fmt.Fprintf(conn, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(why), why)
}
