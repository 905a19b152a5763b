package container

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeserver"
)

// ClientFunc is a WebSocket client under test: it dials url, echoes every
// message it receives until the connection closes, and returns. It should
// give up when ctx is done. It is the in-process suite's ClientFunc.
type ClientFunc = fakeserver.ClientFunc

// Time limits of the driver.
const (
	// readyTimeout bounds the wait for the fuzzing server to answer.
	readyTimeout = 2 * time.Minute
	// controlTimeout bounds one control connection.
	controlTimeout = 10 * time.Second
	// statusTimeout bounds the wait for a case's verdict after the client
	// returned; a client that never connected gets none.
	statusTimeout = 5 * time.Second
	// caseSlack is added to a case's own time bound for the client.
	caseSlack = 30 * time.Second
)

// driver plays the part of an Autobahn client driver against the fuzzing
// server at base: case count, one /runCase per case, /updateReports.
type driver struct {
	base    string
	agent   string
	ids     []string
	exclude cases.AgentExclusions
	logf    func(format string, args ...any)
	// progress is told when a case starts and while the client runs.
	progress *progress
	// judged are the cases the fuzzer gave a verdict for, in order.
	judged []string
}

// run drives the cases and asks for the reports; exited tells whether the
// fuzzer's container stopped.
func (d *driver) run(ctx context.Context, exited func(context.Context) (bool, int), client ClientFunc) error {
	count, err := d.waitReady(ctx, exited)
	if err != nil {
		return err
	}
	if count != len(d.ids) {
		return fmt.Errorf("the fuzzing server selected %d cases, the case patterns select %d here: "+
			"the image's catalog differs from this module's", count, len(d.ids))
	}
	for i, id := range d.ids {
		if err := d.runCase(ctx, client, i+1, id); err != nil {
			return err
		}
	}
	_, err = d.control(ctx, "/updateReports", url.Values{"agent": {d.agent}, "shutdownOnComplete": {"true"}}, controlTimeout)
	if errors.Is(err, errEndedWithoutClose) {
		// the real fuzzer writes the reports, then stops before its
		// close frame (and often its handshake answer) leaves: the
		// reports, checked by complete, are the answer
		d.logf("/updateReports: %v; the fuzzer stops this way after writing its reports", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("/updateReports: %w", err)
	}
	return nil
}

// complete checks that the reports hold every case the fuzzer judged during
// the run, and names the ones they lack.
func (d *driver) complete(r *Reports) error {
	var missing []string
	for _, id := range d.judged {
		if r.Result(d.agent, id) == nil {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("the reports in %s lack %d of the %d cases the fuzzer judged for %q: %s",
		r.Dir, len(missing), len(d.judged), d.agent, strings.Join(missing, ", "))
}

// waitReady asks for the case count until the fuzzing server answers, the
// container stops, or readyTimeout passes. A published port accepts TCP
// before the server inside listens, so only a WebSocket answer counts.
func (d *driver) waitReady(ctx context.Context, exited func(context.Context) (bool, int)) (int, error) {
	deadline := time.Now().Add(readyTimeout)
	for {
		msg, err := d.control(ctx, "/getCaseCount", nil, 2*time.Second)
		if err == nil {
			n, cerr := strconv.Atoi(strings.TrimSpace(msg))
			if cerr != nil {
				return 0, fmt.Errorf("/getCaseCount answered %q, not a number", msg)
			}
			return n, nil
		}
		if stopped, code := exited(ctx); stopped {
			return 0, fmt.Errorf("the fuzzing server exited with code %d before it answered", code)
		}
		if ctx.Err() != nil {
			return 0, fmt.Errorf("the fuzzing server at %s did not answer: %w", d.base, context.Cause(ctx))
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("the fuzzing server at %s did not answer within %v: %w", d.base, readyTimeout, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// runCase has the client run case number n (id) and waits for its verdict.
func (d *driver) runCase(ctx context.Context, client ClientFunc, n int, id string) error {
	limit := caseSlack
	if c, ok := cases.ByID(id); ok {
		limit += c.MaxDuration()
	}
	q := url.Values{"case": {strconv.Itoa(n)}, "agent": {d.agent}}
	cctx, cancel := context.WithTimeout(ctx, limit)
	resume := d.progress.pause()
	err := client(cctx, d.base+"/runCase?"+q.Encode())
	resume()
	cancel()
	if ctx.Err() != nil {
		return fmt.Errorf("stopped at case %s: %w", id, context.Cause(ctx))
	}
	if err != nil {
		d.logf("case %s: the client returned: %v", id, err)
	}
	if d.exclude.Excludes(d.agent, id) {
		d.logf("case %s (%d of %d): excluded for %s", id, n, len(d.ids), d.agent)
		return nil
	}
	// the verdict, once the fuzzer has judged the case
	msg, err := d.control(ctx, "/getCaseStatus", q, statusTimeout)
	if errors.Is(err, errEndedWithoutClose) && msg != "" {
		err = nil // the answer came; its close did not
	}
	var status struct{ Behavior string }
	if err == nil {
		err = json.Unmarshal([]byte(msg), &status)
	}
	if err != nil {
		d.logf("case %s (%d of %d): no verdict: %v", id, n, len(d.ids), err)
		return nil
	}
	d.judged = append(d.judged, id)
	d.logf("case %s (%d of %d): %s", id, n, len(d.ids), status.Behavior)
	return nil
}

// errEndedWithoutClose is a control connection that the fuzzing server
// accepted and then ended without a close frame.
var errEndedWithoutClose = errors.New("the fuzzing server ended the connection without a close frame")

// control opens the control URL path?q of the fuzzing server, within limit,
// and returns the last text message it sent before closing. A connection
// that ends, after TCP was accepted, without a close frame (before or after
// the handshake's answer) is errEndedWithoutClose.
func (d *driver) control(ctx context.Context, path string, q url.Values, limit time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	u := d.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	conn, _, err := (&websocket.Dialer{}).DialContext(ctx, u, nil)
	if err != nil {
		if ctx.Err() == nil && endedEarly(err) {
			return "", fmt.Errorf("%w (before the handshake's answer: %v)", errEndedWithoutClose, err)
		}
		return "", err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Now()) })
	defer stop()
	var msg string
	for {
		_, p, err := conn.ReadMessage()
		var ce *websocket.CloseError
		switch {
		case errors.As(err, &ce) && ce.Code == websocket.CloseAbnormalClosure && ctx.Err() == nil:
			return msg, fmt.Errorf("%w (%v)", errEndedWithoutClose, err)
		case errors.As(err, &ce) && ce.Code != websocket.CloseAbnormalClosure:
			return msg, nil
		case err != nil:
			return msg, err
		}
		msg = string(p)
	}
}

// endedEarly reports whether a dial error is the end of a TCP connection
// the server had accepted: end of stream or a reset while reading its answer.
func endedEarly(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}
