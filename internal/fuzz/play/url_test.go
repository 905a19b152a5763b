package play

import (
	"context"
	"net/http"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// TestServerURL plays a few seeds against gorilla's echo server over TCP.
func TestServerURL(t *testing.T) {
	url, stop, err := echopeer.Serve(http.HandlerFunc(echopeer.GorillaServerUTF8))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, sd := range script.Seeds()[:40] {
		s := sd.Script.Finished()
		res, err := ServerURL(context.Background(), url, s, Bound(DefaultBound))
		if err != nil {
			t.Fatalf("%s: %v", sd.Name, err)
		}
		if fs := oracle.Judge(s, true, res.Obs); len(fs) > 0 {
			t.Errorf("%s: %v\n%s", sd.Name, fs, res.Log)
		}
	}
	if _, err := ServerURL(context.Background(), "http://x", script.Script{}, Bound(DefaultBound)); err == nil {
		t.Error("an http:// URL was taken")
	}
}
