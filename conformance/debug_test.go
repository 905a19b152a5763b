package conformance

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/wsfuzz/autobahn/fakeserver"
)

func TestDebugCase(t *testing.T) {
	id := os.Getenv("DEBUG_CASE")
	if id == "" {
		t.Skip()
	}
	srv, _ := fakeserver.New(fakeserver.Config{})
	defer srv.Close()
	for i := 0; i < 30; i++ {
		r, err := srv.RunCase(context.Background(), id, "coder", coderClient)
		if r.Behavior != "OK" {
			b, _ := json.Marshal(r.Wirelog)
			t.Logf("%s %s %v %v dropped=%v reason=%v dur=%d failed=%v", r.Behavior, r.BehaviorClose, err, r.RxOctetStats, r.DroppedByMe, *r.WasNotCleanReason, r.Duration, r.FailedByMe)
			t.Logf("%s", b)
			return
		}
	}
}
