package autobahntest_test

import (
	"context"
	"flag"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/autobahntest"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/report"
)

// barrier holds gorilla's client back for up to wait before it dials, until
// a second client comes; overlapped says whether one came while another
// was waiting.
type barrier struct {
	wait       time.Duration
	mu         sync.Mutex
	waiting    bool
	both       chan struct{}
	overlapped bool
}

func (b *barrier) client(ctx context.Context, url string) error {
	b.mu.Lock()
	first := !b.waiting && !b.overlapped
	if first {
		b.waiting = true
	} else if b.waiting {
		b.overlapped = true
		close(b.both)
		b.waiting = false
	}
	b.mu.Unlock()
	if first {
		select {
		case <-b.both:
		case <-time.After(b.wait):
		}
		b.mu.Lock()
		b.waiting = false
		b.mu.Unlock()
	}
	return echopeer.GorillaClient(ctx, url)
}

// TestParallel checks that the Parallel option runs cases at once, and
// only then, and that ReportDir writes one index for the tests that share
// a directory, once their subtests have ended.
func TestParallel(t *testing.T) {
	if p := flag.Lookup("test.parallel"); p != nil && p.Value.String() == "1" {
		t.Skip("go test -parallel 1 runs one subtest at a time")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		agent    string
		parallel bool
		wait     time.Duration
	}{
		{"parallel", true, 5 * time.Second},
		{"serial", false, 300 * time.Millisecond},
	} {
		b := &barrier{wait: tc.wait, both: make(chan struct{})}
		opts := []autobahntest.Option{autobahntest.Cases("1.1.1", "1.1.2"), autobahntest.ReportDir(dir)}
		if !tc.parallel {
			opts = append(opts, autobahntest.Parallel(1))
		}
		t.Run(tc.agent, func(t *testing.T) { autobahntest.Client(t, tc.agent, b.client, opts...) })
		if b.overlapped != tc.parallel {
			t.Errorf("%s: two cases at once: %v", tc.agent, b.overlapped)
		}
	}
	idx, err := report.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, agent := range []string{"parallel", "serial"} {
		if got := slices.Sorted(maps.Keys(idx[agent])); !slices.Equal(got, []string{"1.1.1", "1.1.2"}) {
			t.Errorf("index.json, agent %s: cases %q", agent, got)
		}
	}
	if len(idx) != 2 {
		t.Errorf("index.json has agents %q", slices.Sorted(maps.Keys(idx)))
	}
}
