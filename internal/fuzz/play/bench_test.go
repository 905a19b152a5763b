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

// TestExecsPerSecond holds the floor of issue 22: 2,000 executions a second
// against gorilla's echo server, for the seeds and for random scripts. It
// runs with AUTOBAHN_FUZZ_BENCH=1 only.
func TestExecsPerSecond(t *testing.T) {
	if os.Getenv("AUTOBAHN_FUZZ_BENCH") == "" {
		t.Skip("set AUTOBAHN_FUZZ_BENCH=1 to measure the executions per second")
	}
	for name, bench := range map[string]func(*testing.B){"seeds": BenchmarkServerGorilla, "random": BenchmarkServerGorillaRandom} {
		r := testing.Benchmark(bench)
		rate := float64(r.N) / r.T.Seconds()
		t.Logf("%s: %d executions in %v: %.0f execs/s", name, r.N, r.T, rate)
		if rate < 2000 {
			t.Errorf("%s: %.0f execs/s against gorilla's echo server, want at least 2,000", name, rate)
		}
	}
}

// BenchmarkClientGorillaRandom plays random scripts against gorilla's echo
// client, which dials a loopback listener for each.
func BenchmarkClientGorillaRandom(b *testing.B) {
	l, err := Listen()
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	scripts := randomScripts()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s := scripts[i%len(scripts)]
		res, err := Client(context.Background(), l, echopeer.GorillaClientUTF8, s, Bound(DefaultBound))
		if err != nil {
			b.Fatal(err)
		}
		oracle.Judge(s, false, res.Obs)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "execs/s")
}
