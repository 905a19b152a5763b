package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/report"
)

// A case whose handshake gets an HTTP error (a plain HTTP server answering
// 404) lasts as long as it took, in the progress line, index.json and the
// HTML pages; the real fuzzer writes a Unix time in ms there.
func TestDurationOfAFailedHandshake(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "servers": [{"agent": "plain", "url": "ws`+strings.TrimPrefix(srv.URL, "http")+`"}], "cases": ["1.1.1"]}`)
	var stdout bytes.Buffer
	start := time.Now()
	if err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec}, &stdout, io.Discard); !errors.Is(err, errCasesFailed) {
		t.Fatalf("run: %v, want the case failed\n%s", err, stdout.String())
	}
	bound := time.Since(start).Milliseconds()
	m := regexp.MustCompile(`FAILED / FAILED \((\d+) ms\)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no progress line with a duration:\n%s", stdout.String())
	}
	if ms, _ := strconv.ParseInt(m[1], 10, 64); ms < 0 || ms > bound {
		t.Errorf("progress line says %d ms; the run took %d ms", ms, bound)
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	e := idx["plain"]["1.1.1"]
	if e.Duration < 0 || e.Duration > bound {
		t.Errorf("index.json duration %d ms; the run took %d ms", e.Duration, bound)
	}
	for _, page := range []string{"plain_case_1_1_1.html"} { // index.html shows durations of 9.x only
		b, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Fatal(err)
		}
		shown := regexp.MustCompile(`(\d+)(</b>)? ms`).FindAllSubmatch(b, -1)
		if len(shown) == 0 {
			t.Errorf("%s shows no duration", page)
		}
		for _, m := range shown {
			if ms, _ := strconv.ParseInt(string(m[1]), 10, 64); ms > bound {
				t.Errorf("%s shows %s ms; the run took %d ms", page, m[1], bound)
			}
		}
	}
}
