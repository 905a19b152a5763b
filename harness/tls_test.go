package harness

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	coder "github.com/coder/websocket"
	"github.com/gorilla/websocket"

	"github.com/wsfuzz/autobahn/internal/echopeer"
)

// tlsSample is a case of every section, 9.x and 12.x included, and two
// that coder's server fails.
var tlsSample = []string{"1.1.1", "2.1", "3.1", "4.1.1", "5.1", "6.1.1", "6.4.1", "7.1.1", "7.5.1", "9.1.1", "10.1.1", "12.1.1", "13.1.1"}

// gorillaTLSClient and coderTLSClient are the libraries' echo clients
// dialing with the configuration the harness gives under TLS().
func gorillaTLSClient(ctx context.Context, url string) error {
	d := *websocket.DefaultDialer
	d.TLSClientConfig = ClientTLS(ctx)
	return echopeer.GorillaClientWith(&d)(ctx, url)
}

func coderTLSClient(ctx context.Context, url string) error {
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: ClientTLS(ctx)}}
	return echopeer.CoderClientWith(coder.DialOptions{HTTPClient: hc})(ctx, url)
}

// oracle reads the real fuzzer's verdicts: run → case → behavior and
// behaviorClose, flaky cases left out.
func oracle(t *testing.T) map[string]map[string][2]string {
	t.Helper()
	f, err := os.Open("../testdata/oracle.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string][2]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 5 || strings.HasPrefix(p[0], "#") || p[4] == "true" {
			continue
		}
		if out[p[0]] == nil {
			out[p[0]] = map[string][2]string{}
		}
		out[p[0]][p[1]] = [2]string{p[2], p[3]}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// overTLS counts the connections a peer saw over TLS and in all.
type overTLS struct{ secure, all atomic.Int64 }

func (c *overTLS) client(f ClientFunc) ClientFunc {
	return func(ctx context.Context, url string) error {
		c.all.Add(1)
		if strings.HasPrefix(url, "wss://") && ClientTLS(ctx) != nil {
			c.secure.Add(1)
		}
		return f(ctx, url)
	}
}

func (c *overTLS) handler(f http.HandlerFunc) Target {
	return Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.all.Add(1)
		if r.TLS != nil {
			c.secure.Add(1)
		}
		f(w, r)
	}))
}

// TestTLSVerdicts plays a sample of every section over TCP and over TLS
// against gorilla's and coder's client and server: the verdicts must be
// the same, and the real fuzzer's where the oracle has the case.
func TestTLSVerdicts(t *testing.T) {
	orc := oracle(t)
	type peer struct {
		run           string // the oracle's run name
		plain, secure ClientFunc
		handler       http.HandlerFunc
	}
	peers := []peer{
		{run: "fuzzingserver-gorilla", plain: echopeer.GorillaClient, secure: gorillaTLSClient},
		{run: "fuzzingserver-coder", plain: echopeer.CoderClient, secure: coderTLSClient},
		{run: "fuzzingclient-gorilla", handler: echopeer.GorillaServer},
		{run: "fuzzingclient-coder", handler: echopeer.CoderServer},
	}
	for _, p := range peers {
		t.Run(p.run, func(t *testing.T) {
			var seen overTLS
			var plain, secure *Runner
			var err1, err2 error
			if p.handler != nil {
				plain, err1 = Server(p.run, Handler(p.handler), Cases(tlsSample...))
				secure, err2 = Server(p.run, seen.handler(p.handler), Cases(tlsSample...), TLS())
			} else {
				plain, err1 = Client(p.run, p.plain, Cases(tlsSample...))
				secure, err2 = Client(p.run, seen.client(p.secure), Cases(tlsSample...), TLS())
			}
			if err := errors.Join(err1, err2); err != nil {
				t.Fatal(err)
			}
			for _, id := range tlsSample {
				a, _, err := plain.Play(context.Background(), id, Seed{})
				if err != nil {
					t.Fatalf("%s over TCP: %v", id, err)
				}
				b, _, err := secure.Play(context.Background(), id, Seed{})
				if err != nil {
					t.Fatalf("%s over TLS: %v", id, err)
				}
				got, want := [2]string{string(b.Behavior), string(b.BehaviorClose)}, [2]string{string(a.Behavior), string(a.BehaviorClose)}
				if got != want {
					t.Errorf("%s: over TLS %v, over TCP %v", id, got, want)
				}
				if o, ok := orc[p.run][id]; ok && got != o {
					t.Errorf("%s: over TLS %v, the real fuzzer %v", id, got, o)
				}
			}
			if n, all := seen.secure.Load(), seen.all.Load(); n != all || all < int64(len(tlsSample)) {
				t.Errorf("%d of %d connections were over TLS, want all of at least %d", n, all, len(tlsSample))
			}
		})
	}
}
