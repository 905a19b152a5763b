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

// deflateQuitter offers permessage-deflate, then hangs up right after the
// handshake, as a client that rejects the fuzzer's answer does.
func deflateQuitter(ctx context.Context, url string) error {
	d := websocket.Dialer{EnableCompression: true}
	c, _, err := d.DialContext(ctx, url, nil)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	c.Close()
	return nil
}

// The failure message says what was observed where the fuzzer's reason
// names what the case waited for: a client that hung up right after the
// handshake of a 12.x case.
func TestFailureMessageSaysWhatWasObserved(t *testing.T) {
	r, err := harness.Client("quitter", deflateQuitter, Cases("12.1.1"))
	if err != nil {
		t.Fatal(err)
	}
	res, chopping, err := play(t.Context(), r, "12.1.1")
	if err != nil {
		t.Fatal(err)
	}
	m := failureMessage(r, res, chopping, "")
	for _, want := range []string{
		"\n    observed: the peer dropped TCP ",
		" ms after the opening handshake (0 frames from the peer, ",
		`; extensions "permessage-deflate`,
		", subprotocol none\n",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("the message lacks %q:\n%s", want, m)
		}
	}
}
