package play

import (
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// BenchmarkServerGorilla plays the seeds round robin against gorilla's echo
// server and judges each run: one op is one execution of a fuzz target.
func BenchmarkServerGorilla(b *testing.B) {
	benchServer(b, echopeer.GorillaServer, seedScripts())
}

// BenchmarkServerGorillaRandom plays scripts decoded from random inputs of
// up to MaxActions records, as the mutations of a fuzzing run are.
func BenchmarkServerGorillaRandom(b *testing.B) {
	benchServer(b, echopeer.GorillaServer, randomScripts())
}

// randomScripts are scripts decoded from random inputs, the same in every
// run.
func randomScripts() []script.Script {
	rng := rand.New(rand.NewPCG(5, 6))
	var scripts []script.Script
	for range 1000 {
		in := make([]byte, rng.IntN(script.RecordLen*script.MaxActions))
		for j := range in {
			in[j] = byte(rng.Uint32())
		}
		scripts = append(scripts, script.Decode(in).Finished())
	}
	return scripts
}

func seedScripts() []script.Script {
	var out []script.Script
	for _, sd := range script.Seeds() {
		out = append(out, sd.Script.Finished())
	}
	return out
}

func benchServer(b *testing.B, h http.HandlerFunc, scripts []script.Script) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s := scripts[i%len(scripts)]
		res, err := Server(context.Background(), h, s, Bound(DefaultBound))
		if err != nil {
			b.Fatal(err)
		}
		oracle.Judge(s, true, res.Obs)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
}

// TestExecsPerSecond holds the floor of issue 22, 2,000 executions a
// second against gorilla's echo server, for random scripts (what fuzzing
// runs), and logs the rate for the seeds (whose section 9 carries 128 KiB
// payloads). It runs with AUTOBAHN_FUZZ_BENCH=1 only.
func TestExecsPerSecond(t *testing.T) {
	if os.Getenv("AUTOBAHN_FUZZ_BENCH") == "" {
		t.Skip("set AUTOBAHN_FUZZ_BENCH=1 to measure the executions per second")
	}
	rate := func(bench func(*testing.B)) float64 {
		r := testing.Benchmark(bench)
		return float64(r.N) / r.T.Seconds()
	}
	t.Logf("seeds: %.0f execs/s", rate(BenchmarkServerGorilla))
	random := rate(BenchmarkServerGorillaRandom)
	t.Logf("random scripts: %.0f execs/s", random)
	if random < 2000 {
		t.Errorf("%.0f execs/s of random scripts against gorilla's echo server, want at least 2,000", random)
	}
}
