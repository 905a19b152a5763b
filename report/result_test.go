package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// The per-case JSON has exactly the real fuzzer's 39 keys.
var autobahnKeys = strings.Fields(`agent behavior behaviorClose case closedByMe createStats createWirelog
description droppedByMe duration expectation expected expectedClose failedByMe httpRequest httpResponse id
isServer localCloseCode localCloseReason received remoteCloseCode remoteCloseReason reportCompressionRatio
reportTime result resultClose rxFrameStats rxOctetStats started trafficStats txFrameStats txOctetStats
wasClean wasCloseHandshakeTimeout wasNotCleanReason wasOpenHandshakeTimeout wasServerConnectionDropTimeout wirelog`)

func sample() *Result {
	code := 1002
	return &Result{Agent: "Autobahn Python/0.6.0", Behavior: "OK", BehaviorClose: "OK", Case: 31, ID: "3.4",
		Expected:        map[string][]Event{"OK": {{Kind: "message", Payload: []byte("Hello, world!")}}, "NON-STRICT": {}},
		ExpectedClose:   ExpectedClose{Set: true, CloseCode: []int{1002}},
		Received:        []Event{{Kind: "message", Payload: []byte("κόσμε")}, {Kind: "pong", Payload: []byte{0xff}}, {Kind: "timeout", Tag: "A"}},
		RemoteCloseCode: &code, RxFrameStats: Stats{1: 1, 8: 1}, RxOctetStats: Stats{129: 1, 27: 1},
		TxFrameStats: Stats{}, TxOctetStats: Stats{},
		Wirelog: []WireEntry{WireEntry(wirelog.TimerEntry(wirelog.Kill, 1))}}
}

func TestResultHasTheAutobahnKeys(t *testing.T) {
	b, err := MarshalIndent(sample())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := append([]string(nil), autobahnKeys...)
	sort.Strings(want)
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %v\nwant %v", keys, want)
	}
	s := string(b)
	for _, frag := range []string{
		`"received": [` + "\n" + `      [` + "\n" + `         "message",` + "\n" + `         "\u03ba\u03cc\u03c3\u03bc\u03b5",`,
		`"0xff"`, `"timeout",`, `"rxOctetStats": {` + "\n" + `      "129": 1,` + "\n" + `      "27": 1`,
		`"expectedClose": {` + "\n" + `      "closeCode": [`, `"trafficStats": null`, `"KL",`,
	} {
		if !strings.Contains(s, frag) {
			t.Errorf("JSON lacks %q:\n%s", frag, s)
		}
	}
}

func TestWriteAndReadBack(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	r := sample()
	if err := WriteJSON(dir, []*Result{r}); err != nil {
		t.Fatal(err)
	}
	idx, err := ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := idx["Autobahn Python/0.6.0"]["3.4"]
	if e.ReportFile != "autobahn_python_0_6_0_case_3_4.json" || e.Behavior != "OK" || *e.RemoteCloseCode != 1002 {
		t.Fatalf("index entry %+v", e)
	}
	back, err := ReadResult(filepath.Join(dir, e.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != "3.4" || back.Case != 31 || back.RxOctetStats[129] != 1 || string(back.Received[0].Payload) != "κόσμε" ||
		!back.ExpectedClose.Set || back.Wirelog[0].Kind != wirelog.Kill {
		t.Fatalf("read back %+v", back)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestCleanAgent(t *testing.T) {
	for in, want := range map[string]string{"AutobahnPython/0.6.0": "autobahnpython_0_6_0", "  My Server  ": "my_server", "gorilla": "gorilla", "A--B": "a__b"} {
		if got := CleanAgent(in); got != want {
			t.Errorf("CleanAgent(%q) = %q, want %q", in, got, want)
		}
	}
}

// Report files are readable by all: mode 0644 less the umask, as a file
// written with os.WriteFile(..., 0o644) in the same place gets (not the 0600
// of a temporary file).
func TestReportFilesAreReadableByAll(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "reference")
	if err := os.WriteFile(ref, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	want := st.Mode().Perm()
	os.Remove(ref)
	if err := Write(dir, []*Result{sample()}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 4 {
		t.Fatalf("%d files (%v), want index.json, index.html and a JSON and an HTML page", len(entries), err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %v, want %v", e.Name(), got, want)
		}
	}
}
