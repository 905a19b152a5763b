package timebound

import (
	"testing"
	"time"
)

func TestScale(t *testing.T) {
	want := time.Second
	if raceEnabled {
		want *= RaceFactor
	}
	t.Setenv(Env, "")
	if got := Scale(t, time.Second); got != want {
		t.Errorf("Scale(1s) = %v, want %v", got, want)
	}
	t.Setenv(Env, "2.5")
	if got := Scale(t, time.Second); got != want*5/2 {
		t.Errorf("Scale(1s) with %s=2.5 = %v, want %v", Env, got, want*5/2)
	}
}
