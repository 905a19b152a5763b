package spec

import (
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/cases"
)

func TestParseShippedFuzzingServerSpec(t *testing.T) {
	// The fuzzingserver.json the real image ships.
	s, err := Parse([]byte(`{"url":"ws://127.0.0.1:9001","outdir":"./reports/clients","cases":["*"],"exclude-cases":[],"exclude-agent-cases":{}}`), FuzzingServer)
	if err != nil {
		t.Fatal(err)
	}
	if s.URL != "ws://127.0.0.1:9001" || s.OutDir != "./reports/clients" {
		t.Errorf("url %q outdir %q", s.URL, s.OutDir)
	}
	if len(s.Cases) == 0 || s.Cases[0] != "1.1.1" {
		t.Errorf("cases %v", s.Cases)
	}
	if s.Options.CloseHandshakeTimeout != time.Second || s.Options.FailByDrop {
		t.Errorf("options must default to the real fuzzer's: %+v", s.Options)
	}
}

func TestParseFuzzingClientSpecWithOptions(t *testing.T) {
	// Shaped like gorilla/websocket's examples/autobahn config.
	s, err := Parse([]byte(`{
	  "options": {"failByDrop": false},
	  "outdir": "./reports/",
	  "servers": [
	    {"agent": "ReadAllWriteMessage", "url": "ws://localhost:9000/m", "options": {"version": 18}},
	    {"agent": "x", "url": "ws://localhost:9000/f", "options": {"openHandshakeTimeout": 2.5, "failByDrop": true}}
	  ],
	  "cases": ["3.*", "5.1"],
	  "exclude-cases": ["3.7"],
	  "exclude-agent-cases": {"x": ["3.1"]}
	}`), FuzzingClient)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Cases, " "); got != "3.1 3.2 3.3 3.4 3.5 3.6 5.1" {
		t.Errorf("cases = %s", got)
	}
	if len(s.Servers) != 2 || s.Servers[0].Agent != "ReadAllWriteMessage" {
		t.Fatalf("servers %+v", s.Servers)
	}
	if o := s.Servers[1].Options; o.OpenHandshakeTimeout != 2500*time.Millisecond || !o.FailByDrop {
		t.Errorf("per-server options must override the global ones: %+v", o)
	}
	if !s.ExcludeAgentCases.Excludes("x", "3.1") || s.ExcludeAgentCases.Excludes("x", "3.2") {
		t.Error("exclude-agent-cases not applied as whole-id patterns")
	}
}

func TestParseRefusesBadInputNamingTheField(t *testing.T) {
	tests := []struct {
		mode Mode
		in   string
		want string
	}{
		{FuzzingServer, `[]`, "want a JSON object"},
		{FuzzingServer, `{"url": 9001}`, `field "url": want string, got a number`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","cases":"*"}`, `field "cases": want array of strings, got a string`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","casez":["*"]}`, `unknown field "casez"`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","cases":["99.1"]}`, `field "cases": unknown case id "99.1"`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","cases":["3.*","99.*"]}`, `field "cases": case pattern "99.*" matches no case`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","cases":[""]}`, `field "cases": unknown case id ""`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","exclude-cases":["(*"]}`, `field "exclude-cases": bad case pattern "(*"`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","cases":["3.*"],"exclude-cases":["3.*"]}`, `leave no case to run`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","options":{"failByDrop":"no"}}`, `option "failByDrop": want a boolean, got a string`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","options":{"autoPingInterval":5}}`, `option "autoPingInterval": unknown or unsupported`},
		{FuzzingServer, `{"url":"http://127.0.0.1:9001"}`, `field "url"`},
		{FuzzingServer, `{}`, `field "url" is required`},
		{FuzzingServer, `{"url":"ws://127.0.0.1:9001","options":{"openHandshakeTimeout":-1}}`, `must not be negative`},
		{FuzzingClient, `{"servers":[{"url":"ws://a:1","agent":7}]}`, `field "servers"[0]: spec: field "agent": want string, got a number`},
		{FuzzingClient, `{"servers":[{"url":"ws://a:1","speed":7}]}`, `unknown field "servers[0].speed"`},
		{FuzzingClient, `{"servers":[{"agent":"a"}]}`, `"url" is required`},
		{FuzzingClient, `{"servers":{}}`, `field "servers": want an array of objects`},
		{FuzzingClient, `{"exclude-agent-cases":{"a":"3.1"}}`, `field "exclude-agent-cases"`},
		{Mode("fuzzingproxy"), `{}`, `unknown mode`},
		{FuzzingClient, `{"outdir": "x",}`, `spec: line 1, column 16: invalid character '}'`},
		{FuzzingClient, "{\n  \"outdir\": \"x\"\n  \"cases\": []\n}", `spec: line 3, column 3: invalid character '"' after object key:value pair`},
		{FuzzingClient, `{"outdir": `, `spec: line 1, column 11: unexpected end of JSON input`},
		{FuzzingClient, `null`, `spec: want a JSON object`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in), tt.mode)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s, %s) error = %v, want it to contain %q", tt.in, tt.mode, err, tt.want)
		}
	}
}

// A spec file the real wstest accepts is accepted: gws's
// examples/autobahn/config/fuzzingclient.json excludes "" (nothing), and an
// exclusion of an id the catalog lacks excludes nothing either.
func TestParseAcceptsWhatTheRealOneAccepts(t *testing.T) {
	for _, in := range []string{
		`{"outdir": "./reports/servers",
		  "servers": [{"agent": "gws-server/sync/context_take_over", "url": "ws://127.0.0.1:8000/connect"},
		              {"agent": "gws-server/async/context_take_over", "url": "ws://127.0.0.1:8001/connect"}],
		  "cases": ["*"], "exclude-cases": [""], "exclude-agent-cases": {}}`,
		`{"cases": ["*"], "exclude-cases": ["99.1", "99.*", "12.*", "13.*"]}`,
	} {
		s, err := Parse([]byte(in), FuzzingClient)
		if err != nil {
			t.Fatalf("Parse(%s): %v", in, err)
		}
		if all := len(cases.All()); len(s.Cases) != all && !strings.Contains(in, "12.*") {
			t.Errorf("%d cases, want all %d", len(s.Cases), all)
		}
	}
	s, err := Parse([]byte(`{"cases": ["[1-2].*", "3.1"], "exclude-cases": ["1.1.*"]}`), FuzzingClient)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range s.Cases {
		if !strings.HasPrefix(id, "1.2.") && !strings.HasPrefix(id, "2.") && id != "3.1" {
			t.Errorf("case %s selected by [1-2].* and 3.1 less 1.1.*", id)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"url":"ws://127.0.0.1:9001","cases":["*"],"exclude-cases":["12.*"],"exclude-agent-cases":{"a*":["1.*"]},"options":{"failByDrop":false}}`))
	f.Add([]byte(`{"servers":[{"agent":"a","url":"ws://127.0.0.1:9001","options":{"version":18}}],"cases":["1.1.1"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, m := range []Mode{FuzzingServer, FuzzingClient} {
			s, err := Parse(b, m)
			if err == nil && s == nil {
				t.Fatal("nil spec without an error")
			}
		}
	})
}
