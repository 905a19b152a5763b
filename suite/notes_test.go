package suite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/harness"
)

// errGaveUp is what quitter returns.
var errGaveUp = errors.New("quitter gave up on purpose")

// quitter is a client that dials, hangs up at once and returns errGaveUp:
// every case that expects an echo fails.
func quitter(ctx context.Context, url string) error {
	c, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	c.Close()
	return errGaveUp
}

// The error a client function returned is in the failure message of its
// case, also when many cases play at once.
func TestFailureMessageHasTheClientError(t *testing.T) {
	r, err := harness.Client("quitter", quitter, Cases("1.*", "6.1.*", "6.2.*"), Parallel(16))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, id := range r.IDs() {
		wg.Go(func() {
			res, chopping, err := play(t.Context(), r, id)
			if err != nil {
				t.Errorf("case %s: %v", id, err)
				return
			}
			j := r.Config().Judge(res)
			if j.Outcome != harness.Failed {
				t.Errorf("case %s: %s, want failed", id, j.Outcome)
				return
			}
			if m := failureMessage(r, res, chopping, ""); !strings.Contains(m, "the client returned an error: "+errGaveUp.Error()) {
				t.Errorf("case %s: the message lacks the client's error:\n%s", id, m)
			}
		})
	}
	wg.Wait()
}
