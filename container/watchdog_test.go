package container

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// stallImage is the image of testdata/stall: a fuzzer that writes a
// traceback and then neither works nor exits.
var stallImage struct {
	once sync.Once
	ref  string
	err  error
}

func stalled(t *testing.T) Image {
	t.Helper()
	stallImage.once.Do(func() {
		stallImage.ref, stallImage.err = buildImage(".", "./testdata/stall", "wsfuzz/autobahn-stall")
	})
	if stallImage.err != nil {
		t.Fatalf("stall image: %v", stallImage.err)
	}
	return Image{Ref: stallImage.ref}
}

// A fuzzer that stops making progress ends the run after ProgressTimeout,
// not after the run's Timeout, with an error that quotes its last output.
func TestWatchdogEndsAStalledRun(t *testing.T) {
	requireDocker(t)
	img := stalled(t)
	const limit = 3 * time.Second
	for _, mode := range []struct {
		name string
		run  func(context.Context, Config) (*Reports, error)
	}{
		{"fuzzingclient", func(ctx context.Context, cfg Config) (*Reports, error) {
			return FuzzingClient(ctx, cfg, "ws://127.0.0.1:9/")
		}},
		{"fuzzingserver", func(ctx context.Context, cfg Config) (*Reports, error) {
			return FuzzingServer(ctx, cfg, func(context.Context, string) error { return nil })
		}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			started := time.Now()
			_, err := mode.run(context.Background(), Config{Image: img, Agent: "stalled", Cases: []string{"1.1.1"},
				ReportDir: t.TempDir(), Timeout: 5 * time.Minute, ProgressTimeout: limit, Log: testLog{t}})
			took := time.Since(started)
			if !errors.Is(err, ErrNoProgress) {
				t.Fatalf("error %v; want ErrNoProgress", err)
			}
			var re *RunError
			if !errors.As(err, &re) {
				t.Fatalf("error %T; want a *RunError", err)
			}
			msg := err.Error()
			first, rest, _ := strings.Cut(msg, "\n")
			if !strings.Contains(first, "made no progress") || !strings.Contains(first, "the limit is 3s") {
				t.Errorf("first line %q does not say what happened", first)
			}
			if !strings.Contains(rest, "TypeError: Object of type bytes is not JSON serializable") {
				t.Errorf("the error does not quote the container's last output:\n%s", msg)
			}
			// the watchdog's limit, the container's start and removal
			if took > limit+45*time.Second {
				t.Errorf("the run took %v; the watchdog's limit is %v", took, limit)
			}
			t.Logf("ended after %v: %s", took.Round(time.Millisecond), first)
		})
	}
}

// The default limit is the longest selected case's own bound plus a margin.
func TestProgressTimeoutDefault(t *testing.T) {
	c := Config{}
	// 9.1.6's bound is longer than 1.1.1's
	short, long := c.progressTimeout([]string{"1.1.1"}), c.progressTimeout([]string{"1.1.1", "9.1.6"})
	if short <= progressMargin || long <= short {
		t.Errorf("progressTimeout: %v for 1.1.1, %v with 9.1.6; want more than %v, growing with the longest case",
			short, long, progressMargin)
	}
	c.ProgressTimeout = -1
	if got := c.progressTimeout([]string{"1.1.1"}); got >= 0 {
		t.Errorf("a negative ProgressTimeout gives %v; want the watchdog off", got)
	}
}
