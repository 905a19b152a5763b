package play

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// ClientFunc is a WebSocket client under test: it dials url, echoes every
// message until the connection closes, and returns; it should give up when
// ctx is done.
type ClientFunc func(ctx context.Context, url string) error

// Listener is a loopback TCP listener the clients under test dial, one
// execution at a time: a client takes a URL, so it cannot be handed an
// in-memory connection.
type Listener struct {
	ln  *net.TCPListener
	url string
}

// Listen opens a Listener on 127.0.0.1 and a free port.
func Listen() (*Listener, error) {
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, fmt.Errorf("play: listen for the client under test: %w", err)
	}
	return &Listener{ln: ln, url: "ws://" + ln.Addr().String() + "/"}, nil
}

// Close closes the listener.
func (l *Listener) Close() error { return l.ln.Close() }

// Client plays s (finished: see script.Script.Finished) against client,
// the fuzzer as the server on l. An error means the run could not start:
// the client did not connect or sent no valid upgrade request.
func Client(ctx context.Context, l *Listener, client ClientFunc, s script.Script, bound time.Duration) (Result, error) {
	res := Result{Log: &WireLog{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ended := make(chan string, 1)
	clientErr := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				ended <- fmt.Sprintf("%v\n%s", v, debug.Stack())
				return
			}
			ended <- ""
		}()
		clientErr <- client(ctx, l.url)
	}()
	conn, err := accept(l, ConfirmFactor*bound)
	if err != nil {
		cancel()
		v := awaitReturn(ended, bound)
		if v.panic != "" {
			res.Obs.Panic = v.panic
			return res, nil
		}
		if !v.noReturn {
			err = errors.Join(err, <-clientErr)
		}
		return res, fmt.Errorf("play: %w", err)
	}
	defer conn.Close()
	br := newReader(conn)
	conn.SetReadDeadline(time.Now().Add(ConfirmFactor * bound))
	if err := answerUpgrade(conn, br); err != nil {
		conn.Close()
		cancel()
		awaitReturn(ended, bound)
		return res, fmt.Errorf("play: %w", err)
	}
	conn.SetReadDeadline(time.Time{})
	obs, returned := exchange(conn, br, s, false, bound, ended, res.Log)
	if !returned {
		v := awaitReturn(ended, bound)
		obs.Panic, obs.NoReturn = v.panic, v.noReturn
		if v.noReturn {
			cancel()
			awaitReturn(ended, bound)
		}
	}
	res.Obs = obs
	return res, nil
}

// accept takes the client's connection, waiting up to bound (a generous
// one: dialing is not what the fuzzer judges).
func accept(l *Listener, bound time.Duration) (net.Conn, error) {
	l.ln.SetDeadline(time.Now().Add(bound))
	conn, err := l.ln.AcceptTCP()
	if err != nil {
		return nil, fmt.Errorf("the client did not connect within %v: %w", bound, err)
	}
	return conn, nil
}
