package mutants

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
)

// ProofEnv switches the proofs on: the whole catalog against each mutant,
// and go test -fuzz finding each.
const ProofEnv = "AUTOBAHN_FUZZ_PROOF"

// TestCatalogProof runs the whole Autobahn catalog against every mutant
// under the default policy: those marked PassesCatalog must pass every
// case, the others must fail one at least.
func TestCatalogProof(t *testing.T) {
	if os.Getenv(ProofEnv) == "" {
		t.Skipf("set %s=1 to run the catalog against the mutants (minutes)", ProofEnv)
	}
	for _, m := range All() {
		t.Run(m.Name, func(t *testing.T) {
			var (
				r   *harness.Runner
				err error
			)
			if m.Server != nil {
				r, err = harness.Server(m.Name, harness.Handler(m.Server))
			} else {
				r, err = harness.Client(m.Name, m.Client)
			}
			if err != nil {
				t.Fatal(err)
			}
			failed := playAll(t, r)
			t.Logf("%s: %d of %d cases failed: %v", m.Name, len(failed), len(r.IDs()), failed)
			if m.PassesCatalog && len(failed) > 0 {
				t.Errorf("%s should pass the catalog; failed %v", m.Name, failed)
			}
			if !m.PassesCatalog && len(failed) == 0 {
				t.Errorf("%s should fail a case of the catalog; passed them all", m.Name)
			}
		})
	}
}

// playAll plays every case of r, eight at a time, and returns the ids of
// those that failed.
func playAll(t *testing.T, r *harness.Runner) []string {
	var (
		mu     sync.Mutex
		failed []string
		wg     sync.WaitGroup
	)
	sem := make(chan struct{}, 8)
	for _, id := range r.IDs() {
		c, _ := cases.ByID(id)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			ctx, cancel := context.WithTimeout(context.Background(), r.Limit(c))
			defer cancel()
			res, _, err := r.Play(ctx, id, harness.Seed{})
			if err != nil {
				t.Errorf("case %s: %v", id, err)
				return
			}
			if j := r.Config().Judge(res); j.Outcome == harness.Failed {
				mu.Lock()
				failed = append(failed, id)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}
