package play

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// TestSeedsServers plays every seed against conforming echo servers: no
// rule may break. coder/websocket leaves UTF-8 unchecked, in text and in
// the close reason it echoes (its Autobahn 6.x and 7.5.1 verdicts are FAILED
// too), so those seeds are gorilla's alone.
func TestSeedsServers(t *testing.T) {
	peers := map[string]http.HandlerFunc{
		"gorilla": echopeer.GorillaServerUTF8,
		"coder":   echopeer.CoderServer,
	}
	for name, h := range peers {
		t.Run(name, func(t *testing.T) {
			for _, sd := range script.Seeds() {
				if name == "coder" && (strings.HasPrefix(sd.Name, "case_6_") || sd.Name == "case_7_5_1") {
					continue
				}
				s := sd.Script.Finished()
				res, err := Server(context.Background(), h, s, Bound(DefaultBound))
				if err != nil {
					t.Fatalf("%s: %v", sd.Name, err)
				}
				if fs := oracle.Judge(s, true, res.Obs); len(fs) > 0 {
					t.Errorf("%s:\n%v\n%v\n%s", sd.Name, s, fs, res.Log)
				}
			}
		})
	}
}
