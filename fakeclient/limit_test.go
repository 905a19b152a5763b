package fakeclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/timebound"
	"github.com/wsfuzz/autobahn/report"
)

// gorillaEcho is an echo server on gorilla/websocket.
func gorillaEcho(t *testing.T) string {
	t.Helper()
	url, stop, err := echopeer.Serve(http.HandlerFunc(echopeer.GorillaServer))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// A run limit stops the run in time: the case running is cut short and left
// out, and the error names it and every case not reached.
func TestRunLimit(t *testing.T) {
	ids := []string{"1.1.1", "5.19", "1.1.2", "1.1.3"} // 5.19 pauses 1 s
	start := time.Now()
	res, err := Run(context.Background(), Config{URL: gorillaEcho(t), Agent: "echo", Cases: ids, MaxDuration: 500 * time.Millisecond})
	elapsed := time.Since(start)
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("error %v, want a *LimitError", err)
	}
	if le.CutShort != "5.19" || strings.Join(le.NotReached, " ") != "1.1.2 1.1.3" {
		t.Errorf("cut short %q, not reached %v", le.CutShort, le.NotReached)
	}
	if !strings.Contains(err.Error(), "limit of 500ms") || !strings.Contains(err.Error(), "2 cases not reached: 1.1.2 1.1.3") {
		t.Errorf("error text %q", err)
	}
	if len(res) != 1 || res[0].ID != "1.1.1" || res[0].Behavior != "OK" {
		t.Errorf("results %v, want 1.1.1 alone, passed", res)
	}
	if limit := 500*time.Millisecond + timebound.Scale(t, 1500*time.Millisecond); elapsed > limit {
		t.Errorf("run took %v with a limit of 500ms (allowed %v)", elapsed, limit)
	}
}

// A limit that passes between two cases leaves the rest not reached, with
// no case cut short; a limit never reached changes nothing.
func TestRunLimitBetweenCases(t *testing.T) {
	url := gorillaEcho(t)
	res, err := Run(context.Background(), Config{URL: url, Cases: []string{"1.1.1", "1.1.2"}, MaxDuration: time.Minute})
	if err != nil || len(res) != 2 {
		t.Fatalf("unreached limit: %d results, %v", len(res), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var le *LimitError
	_, err = Run(ctx, Config{URL: url, Cases: []string{"1.1.1", "1.1.2"}, MaxDuration: time.Nanosecond})
	if !errors.As(err, &le) || le.CutShort != "" || len(le.NotReached) != 2 {
		t.Fatalf("error %v", err)
	}
}

// A run whose context ends (Ctrl-C in wstest) treats the case running as a
// run limit does: cut short and left out, not judged; the error names it and
// the cases not reached, and carries the cause.
func TestRunCancelled(t *testing.T) {
	stop := errors.New("stopped by signal interrupt")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	ids := []string{"1.1.1", "5.19", "1.1.2"} // 5.19 pauses 1 s
	res, err := Run(ctx, Config{URL: gorillaEcho(t), Agent: "echo", Cases: ids,
		Progress: func(n, total int, r *report.Result) { time.AfterFunc(100*time.Millisecond, func() { cancel(stop) }) }})
	var ce *CancelError
	if !errors.As(err, &ce) || !errors.Is(err, stop) {
		t.Fatalf("error %v, want a *CancelError caused by %v", err, stop)
	}
	if ce.CutShort != "5.19" || strings.Join(ce.NotReached, " ") != "1.1.2" {
		t.Errorf("cut short %q, not reached %v", ce.CutShort, ce.NotReached)
	}
	if len(res) != 1 || res[0].ID != "1.1.1" {
		t.Errorf("results %v, want 1.1.1 alone", res)
	}
	_, err = Run(ctx, Config{URL: gorillaEcho(t), Cases: ids})
	if !errors.As(err, &ce) || ce.CutShort != "" || len(ce.NotReached) != 3 {
		t.Errorf("a run on an ended context: %v", err)
	}
}

// RunCase on a context that ends while the case runs returns no verdict but
// an error saying the case was cut short.
func TestRunCaseCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res, err := RunCase(ctx, gorillaEcho(t), "echo", "5.19", nil) // pauses 1 s
	var ce *CancelError
	if res != nil || !errors.As(err, &ce) || ce.CutShort != "5.19" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("result %v, error %v; want no result and a *CancelError for 5.19", res, err)
	}
}
