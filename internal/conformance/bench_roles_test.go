package conformance

import (
	"context"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/fakeserver"
	"github.com/wsfuzz/autobahn/internal/frame"
)

// The engine benchmarks: 1.x-5.x against in-process gorilla in both roles,
// next to a baseline measured in the same run, for benchstat:
//
//	go test ./conformance -run '^$' -bench 'Sections|Baseline' -count 6 | tee new.txt
//	benchstat new.txt
//
// "nowait" leaves out 5.19 and 5.20, whose 1 s pauses are part of the case
// definition; the baseline is plain gorilla exchanging the same messages on
// one connection per case, without the fuzzer: what any harness must pay.

var waits = []string{"5.19", "5.20"}

func sections15(b *testing.B, withWaits bool) []string {
	var ex []string
	if !withWaits {
		ex = waits
	}
	ids, err := cases.Resolve([]string{"1.*", "2.*", "3.*", "4.*", "5.*"}, ex)
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

func BenchmarkSections1to5(b *testing.B) {
	for _, withWaits := range []bool{true, false} {
		name := "all"
		if !withWaits {
			name = "nowait"
		}
		ids := sections15(b, withWaits)
		b.Run("fuzzer-client/"+name, func(b *testing.B) {
			url := serve(b, gorillaServer)
			for b.Loop() {
				for _, id := range ids {
					if _, err := fakeclient.RunCase(context.Background(), url, "gorilla", id, nil); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(ids)), "cases")
		})
		b.Run("fuzzer-server/"+name, func(b *testing.B) {
			srv, err := fakeserver.New(fakeserver.Config{Cases: ids})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			for b.Loop() {
				for _, id := range ids {
					if r, err := srv.RunCase(context.Background(), "gorilla", id, gorillaClient); r == nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(ids)), "cases")
		})
	}
}

// BenchmarkBaselineGorilla opens one gorilla connection per case of 1.x-5.x
// (without the pauses) and echoes that case's data messages.
func BenchmarkBaselineGorilla(b *testing.B) {
	ids := sections15(b, false)
	var msgs [][][]byte
	for _, id := range ids {
		c, _ := cases.ByID(id)
		var m [][]byte
		for _, s := range c.Steps {
			if s.Action == cases.SendFrame && s.Fin && (s.Opcode == frame.OpText || s.Opcode == frame.OpBinary) && s.RSV == 0 {
				m = append(m, s.Payload)
			}
		}
		msgs = append(msgs, m)
	}
	url := serve(b, gorillaServer)
	for b.Loop() {
		for _, m := range msgs {
			conn, _, err := websocket.DefaultDialer.Dial(url, nil)
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range m {
				if err := conn.WriteMessage(websocket.BinaryMessage, p); err != nil {
					b.Fatal(err)
				}
				if _, _, err := conn.ReadMessage(); err != nil {
					b.Fatal(err)
				}
			}
			conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""))
			conn.ReadMessage()
			conn.Close()
		}
	}
	b.ReportMetric(float64(len(ids)), "cases")
}
