package fakeclient

import (
	"context"
	"strings"
	"testing"
)

// Options are the real fuzzer's option names; a bad one is refused before
// anything runs, with an error naming the field and the option.
func TestBadOptionsAreRefused(t *testing.T) {
	bad := map[string]any{"failByDrop": "yes"}
	want := `option "failByDrop"`
	if _, err := Run(context.Background(), Config{URL: "ws://127.0.0.1:1/", Cases: []string{"1.1.1"}, Options: bad}); err == nil ||
		!strings.Contains(err.Error(), "fakeclient.Config.Options") || !strings.Contains(err.Error(), want) {
		t.Errorf("Run: %v; want an error naming fakeclient.Config.Options and %s", err, want)
	}
	if _, err := RunCase(context.Background(), "ws://127.0.0.1:1/", "a", "1.1.1", map[string]any{"noSuchOption": 1}); err == nil ||
		!strings.Contains(err.Error(), `option "noSuchOption"`) {
		t.Errorf("RunCase: %v; want an error naming the unknown option", err)
	}
}
