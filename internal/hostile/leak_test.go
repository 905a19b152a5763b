package hostile

import (
	"bytes"
	"context"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"
)

// leaked returns the stacks of the goroutines that still carry the pprof
// label hostile=label after waiting up to d for them to end; "" when none
// is left. Goroutines inherit the labels of the goroutine that starts them,
// so every goroutine a case started (connection loops, readers, writers,
// listeners, peers) carries its label, even while other cases run in
// parallel: an exact per-case leak check, where goleak can only check the
// whole process.
func leaked(label string, d time.Duration) string {
	want := "# labels: {" + strconv.Quote("hostile") + ":" + strconv.Quote(label) + "}"
	deadline := time.Now().Add(d)
	for {
		var buf bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&buf, 1)
		var found []string
		for _, block := range strings.Split(buf.String(), "\n\n") {
			if strings.Contains(block, want) {
				found = append(found, block)
			}
		}
		if len(found) == 0 {
			return ""
		}
		if time.Now().After(deadline) {
			return strings.Join(found, "\n\n")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The leak check sees a goroutine started under a case's label, and only
// until it ends.
func TestLeakCheckSeesLabelledGoroutines(t *testing.T) {
	release := make(chan struct{})
	ended := make(chan struct{})
	pprof.Do(context.Background(), pprof.Labels("hostile", "leak-check"), func(context.Context) {
		go func() {
			defer close(ended)
			<-release
		}()
	})
	if got := leaked("leak-check", 50*time.Millisecond); !strings.Contains(got, "TestLeakCheckSeesLabelledGoroutines") {
		t.Fatalf("the running goroutine was not seen: %q", got)
	}
	if got := leaked("other", 0); got != "" {
		t.Fatalf("another label saw it: %q", got)
	}
	close(release)
	<-ended
	if got := leaked("leak-check", time.Second); got != "" {
		t.Fatalf("an ended goroutine was seen:\n%s", got)
	}
}
