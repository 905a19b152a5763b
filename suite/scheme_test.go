package suite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/wsfuzz/autobahn/harness"
)

// TestVerdictCarriesScheme: the Verdict entry of a case says the scheme it
// ran over, in its JSON and its console line, and the report written from
// the spool shows it.
func TestVerdictCarriesScheme(t *testing.T) {
	for _, tc := range []struct {
		scheme, page string
		opts         []Option
	}{
		{"ws", "ws://", nil},
		{"wss", "wss:// (TLS)", []Option{TLS()}},
	} {
		dir := t.TempDir()
		r := newServer(t, "g", Handler(gorillaServer), append(tc.opts, ReportDir(dir))...)
		res, chopping := run(t, r, "1.1.2")
		v := newVerdict(r, res, chopping, harness.Judgement{})
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := `"scheme":"` + tc.scheme + `"`; !strings.Contains(string(b), want) {
			t.Errorf("%s: the entry %s lacks %s", tc.scheme, b, want)
		}
		if want := `server "g" over ` + tc.scheme + "://: "; !strings.Contains(v.String(), want) {
			t.Errorf("%s: the console line %q lacks %q", tc.scheme, v, want)
		}
		if err := spool(dir, r.Role(), res); err != nil {
			t.Fatal(err)
		}
		entry := types.ReportEntry{Name: EntryName, Value: types.WrapEntryValue(v)}
		if err := writeReports(dir, ginkgo.Report{SpecReports: types.SpecReports{{ReportEntries: types.ReportEntries{entry}}}}); err != nil {
			t.Fatal(err)
		}
		index, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		if want := `g <small class="connection">` + tc.page + "</small>"; !strings.Contains(string(index), want) {
			t.Errorf("%s: the index written from the spool lacks %q", tc.scheme, want)
		}
	}
}
