package hostile

import (
	"bytes"
	"runtime/pprof"
	"strconv"
	"strings"
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
