package baseline

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// TestRoundTrip checks that a file reads back as written, sorted by role,
// agent and case in catalog order, one entry per line.
func TestRoundTrip(t *testing.T) {
	f := New()
	code := 1007
	for _, e := range []Entry{
		{Role: RoleServer, Agent: "b", Case: "6.10.1", Behavior: "FAILED", BehaviorClose: "OK"},
		{Role: RoleServer, Agent: "b", Case: "6.2.1", Behavior: "NON-STRICT", BehaviorClose: "OK", RemoteCloseCode: &code},
		{Role: RoleClient, Agent: "a", Case: "9.1.1", Flaky: true, Reason: `slow "runners"`},
		{Role: AnyRole, Agent: "a", Case: "1.1.1", Behavior: "OK", BehaviorClose: "OK"},
	} {
		f.Set(e)
	}
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
 "autobahnBaseline": 1,
 "cases": [
  {"role":"","agent":"a","case":"1.1.1","behavior":"OK","behaviorClose":"OK"},
  {"role":"client","agent":"a","case":"9.1.1","flaky":true,"reason":"slow \"runners\""},
  {"role":"server","agent":"b","case":"6.2.1","behavior":"NON-STRICT","behaviorClose":"OK","remoteCloseCode":1007},
  {"role":"server","agent":"b","case":"6.10.1","behavior":"FAILED","behaviorClose":"OK"}
 ]
}
`
	if string(b) != want {
		t.Fatalf("marshalled:\n%s\nwant:\n%s", b, want)
	}
	g, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := g.Marshal()
	if string(b2) != want {
		t.Errorf("read back:\n%s", b2)
	}
	if e, ok := g.Lookup(RoleServer, "a", "1.1.1"); !ok || e.Behavior != "OK" {
		t.Errorf("a role-less entry does not apply to the server role: %+v %v", e, ok)
	}
	g.Set(Entry{Role: RoleClient, Agent: "a", Case: "1.1.1", Behavior: "FAILED", BehaviorClose: "OK"})
	if _, ok := g.Lookup(RoleServer, "a", "1.1.1"); ok {
		t.Error("setting a role's entry left the role-less one")
	}
}

// TestIndexJSON checks that a real fuzzer's index.json reads as a
// baseline of every case in it, for both roles.
func TestIndexJSON(t *testing.T) {
	f, err := Read("../../harness/testdata/gorilla-index.json")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Entries()); n < 300 {
		t.Errorf("%d entries", n)
	}
	for _, role := range []string{RoleClient, RoleServer} {
		if e, ok := f.Lookup(role, "gorilla", "6.3.1"); !ok || e.Behavior != "FAILED" || e.BehaviorClose != "FAILED" {
			t.Errorf("%s 6.3.1: %+v %v", role, e, ok)
		}
	}
}

// TestRefused checks that duplicate entries and unknown keys of an
// index.json are refused with their place named.
func TestRefused(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{`{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "g", "case": "1.1.1", "flaky": true}, {"role": "server", "agent": "g", "case": "1.1.1", "flaky": true}]}`, `cases[1] case 1.1.1: a second entry for agent "g"`},
		{`{"autobahnBaseline": 1, "cases": [{"role": "server", "agent": "", "case": "1.1.1", "flaky": true}]}`, `cases[0] case 1.1.1 field "agent": empty`},
		{`{"g": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK", "verdict": 1}}}`, `agent "g" case "1.1.1": json: unknown field "verdict"`},
		{`{"g": [1]}`, `index.json agent "g": not an object of cases`},
	} {
		if _, err := Parse([]byte(tc.text)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.text, err, tc.want)
		}
	}
	if _, err := Read("no-such-file.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
