package autobahntest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
)

// FuzzGorillaServer fuzzes gorilla's echo server (with the UTF-8 check
// gorilla leaves to the application); without -fuzz it plays the seeds.
func FuzzGorillaServer(f *testing.F) {
	FuzzServer(f, "gorilla", http.HandlerFunc(echopeer.GorillaServerUTF8))
}

// FuzzGorillaClient fuzzes gorilla's echo client (with the UTF-8 check).
func FuzzGorillaClient(f *testing.F) {
	FuzzClient(f, "gorilla", echopeer.GorillaClientUTF8)
}

// TestKnownFindingRules checks that KnownFinding takes every rule of the
// oracle, and that another name is an error that lists them.
func TestKnownFindingRules(t *testing.T) {
	for _, r := range oracle.Rules {
		var s fuzzSettings
		KnownFinding(r.Name, "why")(&s)
		if s.err != nil || len(s.known) != 1 || s.known[0].rule != r {
			t.Errorf("KnownFinding(%q): %+v", r.Name, s)
		}
	}
	var s fuzzSettings
	KnownFinding("pongs", "why")(&s)
	if s.err == nil || !strings.Contains(s.err.Error(), `KnownFinding("pongs"): no such rule; the rules are panic, hang,`) || len(s.known) != 0 {
		t.Errorf(`KnownFinding("pongs"): error %v, known %v`, s.err, s.known)
	}
}
