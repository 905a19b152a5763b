//go:build unix

package conformance

import (
	"context"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/internal/runner"
	"github.com/wsfuzz/autobahn/report"
)

// BenchmarkCatalogNbio plays the whole catalog at the default bound of
// cases at once against lesismal/nbio v1.6.8's echo server with
// permessage-deflate (testdata/nbiopeer, a process of its own): a peer with
// cases that only wait (it echoes no empty message, so 9.7.1 and 9.8.1 wait
// out their 60 s) beside cheap compression cases. It reports the wall time
// beside its floor, the larger of the longest single case and the CPU time
// of both processes over the CPUs: a scheduler bound by work ends near the
// floor; one that lets waiting cases hold CPU slots ends far above it.
//
//	go test ./internal/conformance -run '^$' -bench CatalogNbio -benchtime 1x
func BenchmarkCatalogNbio(b *testing.B) {
	peer := buildPeer(b, "nbiopeer")
	ids, err := cases.Resolve([]string{"*"}, nil)
	if err != nil {
		b.Fatal(err)
	}
	url, stop := startPeer(b, peer)
	before := selfCPU(b)
	var longest time.Duration
	started := time.Now()
	for b.Loop() {
		runner.ForgetShared() // every run starts as a fresh process does
		res, err := fakeclient.Run(context.Background(), fakeclient.Config{URL: url, Agent: "nbio", Cases: ids,
			Parallel: harness.DefaultParallel()})
		if err != nil || len(res) != len(ids) {
			b.Fatalf("%d results of %d: %v", len(res), len(ids), err)
		}
		d := slices.MaxFunc(res, func(x, y *report.Result) int { return int(x.Duration - y.Duration) })
		longest = max(longest, time.Duration(d.Duration)*time.Millisecond)
	}
	wall := time.Since(started)
	ours := selfCPU(b) - before
	theirs := stop()
	n := float64(b.N)
	floor := max(longest.Seconds(), (ours+theirs).Seconds()/n/float64(runtime.GOMAXPROCS(0)))
	b.ReportMetric(float64(len(ids)), "cases")
	b.ReportMetric(wall.Seconds()/n, "wall-s/op")
	b.ReportMetric(floor, "floor-s/op")
	b.ReportMetric(wall.Seconds()/n-floor, "over-floor-s/op")
	b.ReportMetric(ours.Seconds()/n, "fuzzer-cpu-s/op")
	b.ReportMetric(theirs.Seconds()/n, "peer-cpu-s/op")
}
