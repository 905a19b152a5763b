package play

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wsfuzz/autobahn/internal/echopeer"
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
				msg, err := Run(context.Background(), script.Encode(sd.Script), true, Bound(DefaultBound),
					func(ctx context.Context, s script.Script, bound time.Duration) (Result, error) {
						return Server(ctx, h, s, bound)
					})
				if err != nil {
					t.Fatalf("%s: %v", sd.Name, err)
				}
				if msg.Report != "" {
					t.Errorf("%s:\n%s", sd.Name, msg.Report)
				}
			}
		})
	}
}
