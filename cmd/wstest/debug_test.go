package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/engine"
)

// TestDebugFlag: -d prints the frames as they go and the run's verdicts
// stay; the protocol timeouts are off, the options otherwise untouched.
func TestDebugFlag(t *testing.T) {
	url := echoServer(t)
	spec := writeSpec(t, `{"outdir": "`+t.TempDir()+`", "servers": [{"agent": "gorilla", "url": "`+url+`"}], "cases": ["1.1.2"]}`)
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec, "-d"}, &stdout, io.Discard); err != nil {
		t.Fatalf("run: %v\n%s", err, stdout.String())
	}
	for _, want := range []string{`debug: fuzzer-client TF ["TF",[125,`, `debug: fuzzer-client RF ["RF",[125,`, "OK"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	o := engine.Defaults()
	debugOptions(&o, "x", io.Discard)
	if o.OpenHandshakeTimeout != 0 || o.CloseHandshakeTimeout != 0 || o.ServerConnectionDropTimeout != 0 ||
		o.FlushTimeout != engine.Defaults().FlushTimeout || o.Trace == nil {
		t.Errorf("debug options %+v", o)
	}
}
