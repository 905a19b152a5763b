package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
)

// -extended adds our own cases of the mode's side to the spec's; without it
// the same spec runs Autobahn's cases only.
func TestExtendedFlag(t *testing.T) {
	url := echoServer(t)
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "g", "url": "`+url+`"}], "cases": ["1.1.1"]}`)
	var stdout bytes.Buffer
	_ = run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec, "-extended"}, &stdout, io.Discard)
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	var servers []string
	for _, c := range cases.Extended() {
		if c.Tests() == cases.ServerPeer {
			servers = append(servers, c.ID)
		}
	}
	if got := len(idx["g"]); got != 1+len(servers) {
		t.Fatalf("-extended ran %d cases, want 1.1.1 and the %d server cases of section H", got, len(servers))
	}
	for _, id := range servers {
		if _, ok := idx["g"][id]; !ok {
			t.Errorf("case %s missing from the index", id)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Opening Handshake and Negotiation", "Invalid requests a server must refuse", "H.2.1"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}
