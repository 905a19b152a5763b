package fakeserver

import (
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/report"
)

// /updateReports ends as the real fuzzer's does: with a close frame when the
// server goes on, and without one (TCP ends after the reports are written)
// with shutdownOnComplete=true, when the real fuzzer stops before its close
// frame leaves.
func TestUpdateReportsEnd(t *testing.T) {
	for _, tc := range []struct {
		query     string
		wantClose bool
	}{
		{"agent=drv", true},
		{"agent=drv&shutdownOnComplete=true", false},
	} {
		t.Run(tc.query, func(t *testing.T) {
			out := t.TempDir()
			srv, err := New(Config{Cases: []string{"1.1.1"}, OutDir: out})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			if err := echo(t.Context(), srv.URL()+"/runCase?case=1&agent=drv"); err != nil {
				t.Fatal(err)
			}
			c, _, err := websocket.DefaultDialer.Dial(srv.URL()+"/updateReports?"+tc.query, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, _, err = c.ReadMessage()
			// gorilla reports a connection that ends without a close frame
			// as 1006, a code no close frame carries
			var ce *websocket.CloseError
			if got := errors.As(err, &ce) && ce.Code != websocket.CloseAbnormalClosure; got != tc.wantClose {
				t.Fatalf("the connection ended with %v; want a close frame: %v", err, tc.wantClose)
			}
			// the reports are on disk when the connection ends, either way
			idx, err := report.ReadIndex(out)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := idx["drv"]["1.1.1"]; !ok {
				t.Fatalf("index.json lacks case 1.1.1 of drv: %+v", idx)
			}
			if !tc.wantClose {
				select {
				case <-srv.ShutdownRequested():
				case <-time.After(5 * time.Second):
					t.Fatal("no shutdown was requested")
				}
			}
		})
	}
}
