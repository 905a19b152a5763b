package fakeserver

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Once its case has ended, a client function is waited for: cancelled
// after clientReturnWait, given up after twice that.
func TestAwaitClient(t *testing.T) {
	errStopped := errors.New("stopped")
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { <-ctx.Done(); errc <- errStopped }() // returns once cancelled
	start := time.Now()
	if err := awaitClient(errc, cancel); !errors.Is(err, errStopped) {
		t.Errorf("a client that returns when cancelled: %v", err)
	}
	if d := time.Since(start); d < clientReturnWait {
		t.Errorf("cancelled after %v, want %v", d, clientReturnWait)
	}

	start = time.Now()
	err := awaitClient(make(chan error), func() {})
	if err == nil || !strings.Contains(err.Error(), "had not returned") {
		t.Errorf("a client that never returns: %v", err)
	}
	if d := time.Since(start); d < 2*clientReturnWait || d > 2*clientReturnWait+3*time.Second {
		t.Errorf("given up after %v, want %v", d, 2*clientReturnWait)
	}
}
