package harness

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/report"
)

// jsonKeys lists the object keys of a JSON document, levels deep,
// as paths ("a/b"), with the keys of the first wild levels (the agent names
// and case ids of index.json) as "*".
func jsonKeys(t *testing.T, b []byte, wild, levels int) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(v any, path string, depth int)
	walk = func(v any, path string, depth int) {
		m, ok := v.(map[string]any)
		if !ok || depth == levels {
			return
		}
		for k, e := range m {
			if depth < wild {
				k = "*"
			}
			out = append(out, path+k)
			walk(e, path+k+"/", depth+1)
		}
	}
	walk(v, "", 0)
	slices.Sort(out)
	return slices.Compact(out)
}

// reportFiles writes res as a report directory and returns its files.
func reportFiles(t *testing.T, res *report.Result) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := report.Write(dir, []*report.Result{res}); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, name := range []string{"index.json", "index.html", report.CaseFile(res.Agent, res.ID, "json"), report.CaseFile(res.Agent, res.ID, "html")} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(name, report.CleanAgent(res.Agent)+"_")] = b
	}
	return out
}

// TestReportsRecordScheme: a case over TLS reports the scheme wss in both
// roles, one over TCP ws; the HTML pages show it, and the JSON files of a
// run over TLS have exactly the keys of one over TCP.
func TestReportsRecordScheme(t *testing.T) {
	const id = "1.1.1"
	type runner func(opts ...Option) (*Runner, error)
	client := func(f ClientFunc) runner {
		return func(opts ...Option) (*Runner, error) { return Client("gorilla", f, opts...) }
	}
	server := func(opts ...Option) (*Runner, error) {
		return Server("gorilla", Handler(http.HandlerFunc(echopeer.GorillaServer)), opts...)
	}
	roles := []struct {
		name          string
		plain, secure runner
	}{
		{"fuzzingserver", client(echopeer.GorillaClient), client(gorillaTLSClient)},
		{"fuzzingclient", server, server},
	}
	for _, role := range roles {
		t.Run(role.name, func(t *testing.T) {
			files := map[string]map[string][]byte{}
			for _, tc := range []struct {
				scheme, page string
				runner       runner
				opts         []Option
			}{
				{"ws", "ws://", role.plain, []Option{Cases(id)}},
				{"wss", "wss:// (TLS)", role.secure, []Option{Cases(id), TLS()}},
			} {
				r, err := tc.runner(tc.opts...)
				if err != nil {
					t.Fatal(err)
				}
				res, _, err := r.Play(context.Background(), id, Seed{})
				if err != nil {
					t.Fatal(err)
				}
				if res.Scheme != tc.scheme || res.Behavior != "OK" {
					t.Errorf("over %s: scheme %q, behavior %s; want scheme %q, OK", tc.scheme, res.Scheme, res.Behavior, tc.scheme)
				}
				f := reportFiles(t, res)
				files[tc.scheme] = f
				casePage, index := string(f["case_1_1_1.html"]), string(f["index.html"])
				if want := "Connection: " + tc.page + "</p>"; !strings.Contains(casePage, want) {
					t.Errorf("over %s: the case page lacks %q", tc.scheme, want)
				}
				if want := `gorilla <small class="connection">` + tc.page + "</small>"; !strings.Contains(index, want) {
					t.Errorf("over %s: the index lacks %q", tc.scheme, want)
				}
			}
			// all of index.json; the top level of the per-case JSON, as the
			// keys of its read statistics are chop sizes, which TLS changes
			for _, f := range []struct {
				name         string
				wild, levels int
			}{{"index.json", 2, 3}, {"case_1_1_1.json", 0, 1}} {
				name := f.name
				plain, secure := jsonKeys(t, files["ws"][name], f.wild, f.levels), jsonKeys(t, files["wss"][name], f.wild, f.levels)
				if !slices.Equal(plain, secure) {
					t.Errorf("%s: keys over TLS %q, over TCP %q", name, secure, plain)
				}
				if strings.Contains(strings.ToLower(string(files["wss"][name])), "scheme") {
					t.Errorf("%s over TLS names the scheme:\n%s", name, files["wss"][name])
				}
			}
			if keys := jsonKeys(t, files["wss"]["case_1_1_1.json"], 0, 1); len(keys) != 39 {
				t.Errorf("the per-case JSON over TLS has %d top-level keys, want the fuzzer's 39: %q", len(keys), keys)
			}
		})
	}
}
