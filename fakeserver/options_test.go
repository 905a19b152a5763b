package fakeserver

import (
	"strings"
	"testing"
)

// Options are the real fuzzer's option names; a bad one is refused by New,
// with an error naming the field and the option.
func TestBadOptionsAreRefused(t *testing.T) {
	srv, err := New(Config{Cases: []string{"1.1.1"}, Options: map[string]any{"closeHandshakeTimeout": -1}})
	if err == nil {
		srv.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "fakeserver.Config.Options") || !strings.Contains(err.Error(), `option "closeHandshakeTimeout"`) {
		t.Errorf("New: %v; want an error naming fakeserver.Config.Options and the option", err)
	}
}
