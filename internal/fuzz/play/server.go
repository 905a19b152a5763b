package play

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// Server plays s (finished: see script.Script.Finished) against the
// WebSocket server h over a Pipe, the fuzzer as the client. An error means
// the run could not start: the handler refused the opening handshake.
func Server(ctx context.Context, h http.Handler, s script.Script, bound time.Duration) (Result, error) {
	res := Result{Log: &WireLog{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conn, peer := Pipe()
	defer peer.Close()
	ended := startHandler(ctx, h, peer)
	br := newReader(conn)
	conn.SetReadDeadline(time.Now().Add(bound))
	if err := readUpgrade(br); err != nil {
		conn.Close()
		v := awaitReturn(ended, bound)
		res.Obs.Panic, res.Obs.NoReturn = v.panic, v.noReturn
		if errors.Is(err, os.ErrDeadlineExceeded) {
			res.Obs.Hang = true
			res.Obs.HangDetail = fmt.Sprintf("the server had not answered the opening handshake within %v", bound)
		}
		if res.Obs.Panic != "" || res.Obs.NoReturn || res.Obs.Hang {
			return res, nil
		}
		return res, fmt.Errorf("play: %w", err)
	}
	conn.SetReadDeadline(time.Time{})
	obs, returned := exchange(conn, br, s, true, bound, ended, res.Log)
	if !returned {
		v := awaitReturn(ended, bound)
		obs.Panic, obs.NoReturn = v.panic, v.noReturn
	}
	res.Obs = obs
	return res, nil
}

// returned is how a peer's goroutine ended.
type returned struct {
	panic    string
	noReturn bool
}

// awaitReturn waits up to bound for the peer's goroutine to end.
func awaitReturn(ended <-chan string, bound time.Duration) returned {
	t := time.NewTimer(bound)
	defer t.Stop()
	select {
	case v := <-ended:
		return returned{panic: v}
	case <-t.C:
		return returned{noReturn: true}
	}
}
