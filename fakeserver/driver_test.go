package fakeserver

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ask opens a driver URL and returns the text message it answers with.
func ask(t *testing.T, url string) string {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	defer c.Close()
	_, msg, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return string(msg)
}

// echo runs one case like a driver does: echo until closed.
func echo(ctx context.Context, url string) error {
	c, _, err := websocket.DefaultDialer.DialContext(ctx, url, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	for {
		mt, m, err := c.ReadMessage()
		if err != nil {
			return nil
		}
		c.WriteMessage(mt, m)
	}
}

func TestDriverURLs(t *testing.T) {
	out := t.TempDir()
	srv, err := New(Config{Cases: []string{"1.*", "2.*"}, ExcludeCases: []string{"1.2.*"},
		ExcludeAgentCases: cases.AgentExclusions{"skip*": {"2.*"}}, OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	u := srv.URL()
	if got := ask(t, u+"/getCaseCount"); got != "19" {
		t.Fatalf("getCaseCount = %s, want 19 (8 + 11)", got)
	}
	var info map[string]string
	json.Unmarshal([]byte(ask(t, u+"/getCaseInfo?case=9")), &info)
	if info["id"] != "2.1" || info["description"] == "" {
		t.Fatalf("getCaseInfo?case=9 = %v, want 2.1", info)
	}
	json.Unmarshal([]byte(ask(t, u+"/getCaseInfo?casetuple=2.3")), &info)
	if info["id"] != "2.3" {
		t.Fatalf("casetuple=2.3 = %v", info)
	}

	// getCaseStatus asked before the case runs answers when it has run.
	status := make(chan string, 1)
	go func() { status <- ask(t, u+"/getCaseStatus?casetuple=2.2&agent=drv") }()
	time.Sleep(50 * time.Millisecond)
	if err := echo(context.Background(), u+"/runCase?casetuple=2.2&agent=drv"); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-status:
		if s != `{"behavior":"OK"}` {
			t.Fatalf("getCaseStatus = %s", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("getCaseStatus never answered")
	}

	// An excluded agent's case is closed at once and not recorded.
	if err := echo(context.Background(), u+"/runCase?case=9&agent=skipper"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, ok := srv.Result("skipper", "2.1"); ok {
		t.Fatal("an excluded case must not be recorded")
	}

	// Bad requests fail the handshake with HTTP 500.
	for _, bad := range []string{"/runCase?case=9", "/runCase?agent=a", "/runCase?case=99&agent=a",
		"/getCaseInfo", "/runCase?case=x&agent=a", "/updateReports", "/runCase?case=1&case=2&agent=a"} {
		_, resp, err := websocket.DefaultDialer.Dial(u+bad, nil)
		if err == nil || resp == nil || resp.StatusCode != 500 {
			t.Errorf("%s: want HTTP 500, got %v %v", bad, resp, err)
		}
	}

	ask2 := func(path string) {
		c, _, err := websocket.DefaultDialer.Dial(u+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.ReadMessage()
		c.Close()
	}
	ask2("/updateReports?agent=drv")
	select {
	case <-srv.ReportsUpdated():
	case <-time.After(5 * time.Second):
		t.Fatal("reports not written")
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	if e := idx["drv"]["2.2"]; e.Behavior != "OK" || e.ReportFile != "drv_case_2_2.json" {
		t.Fatalf("index %+v", idx)
	}
	r, err := report.ReadResult(filepath.Join(out, "drv_case_2_2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Case != 10 {
		t.Errorf("2.2 is case 10 of this spec, report says %d", r.Case)
	}
}
