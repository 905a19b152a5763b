package runner

import (
	"encoding/hex"
	"math"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/wirelog"
	"github.com/wsfuzz/autobahn/report"
)

// Started formats a case start time as the real fuzzer does.
func Started(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// Result builds the report of a finished case. caseNum is the number the
// report carries (the spec index on a server, the catalog index on a
// client); started is when the connection was made.
func (r *Runner) Result(c *engine.Conn, agent string, caseNum int, started time.Time) *report.Result {
	v := r.Judge(c)
	f := c.Flags()
	rec := c.Record()
	t := c.Timing()
	req, resp := c.HTTP()
	res := &report.Result{
		Agent:                          agent,
		Behavior:                       v.Behavior,
		BehaviorClose:                  v.BehaviorClose,
		Case:                           caseNum,
		ClosedByMe:                     f.ClosedByMe,
		CreateStats:                    true,
		CreateWirelog:                  rec.CreateWirelog,
		Description:                    r.Case.Description,
		DroppedByMe:                    f.DroppedByMe,
		Duration:                       duration(t, started),
		Expectation:                    r.Case.Expectation,
		Expected:                       map[string][]report.Event{},
		FailedByMe:                     f.FailedByMe,
		HTTPRequest:                    req,
		HTTPResponse:                   resp,
		ID:                             r.Case.ID,
		IsServer:                       c.IsServer(),
		LocalCloseCode:                 f.LocalCloseCode,
		Received:                       events(r.received),
		RemoteCloseCode:                f.RemoteCloseCode,
		RemoteCloseReason:              f.RemoteCloseReason,
		ReportCompressionRatio:         r.Case.Compression != nil,
		ReportTime:                     r.Case.Echo != nil || r.Case.RoundTrip != nil || r.Case.Compression != nil,
		Result:                         v.Result,
		ResultClose:                    v.ResultClose,
		RxFrameStats:                   report.Stats(rec.RxFrameStats),
		RxOctetStats:                   report.Stats(rec.RxOctetStats),
		Scheme:                         c.Scheme(),
		Started:                        Started(started),
		TxFrameStats:                   report.Stats(rec.TxFrameStats),
		TxOctetStats:                   report.Stats(rec.TxOctetStats),
		WasClean:                       f.WasClean,
		WasCloseHandshakeTimeout:       f.WasCloseHandshakeTimeout,
		WasNotCleanReason:              f.WasNotCleanReason,
		WasOpenHandshakeTimeout:        f.WasOpenHandshakeTimeout,
		WasServerConnectionDropTimeout: f.WasServerConnectionDropTimeout,
		Wirelog:                        wireEntries(rec.Wirelog),
	}
	if req == "" {
		res.HTTPRequest = "?"
	}
	if resp == "" {
		res.HTTPResponse = "?"
	}
	if f.ConnectionWasOpen {
		for _, o := range r.Case.Expected {
			res.Expected[string(o.Key)] = events(o.Events)
		}
		x := r.Case.Close
		res.ExpectedClose = report.ExpectedClose{Set: true, ClosedByMe: x.ClosedByMe, CloseCode: x.Codes,
			RequireClean: x.RequireClean, WrongEndpointIsFatal: x.WrongEndpointIsFatal}
	}
	if f.LocalCloseReason != nil {
		s := string(f.LocalCloseReason)
		if r.Case.HexLocalReason {
			s = hex.EncodeToString(f.LocalCloseReason)
		}
		res.LocalCloseReason = &s
	} else if r.Case.HexLocalReason {
		q := "?"
		res.LocalCloseReason = &q
	}
	res.TrafficStats = r.trafficStats()
	return res
}

// duration is the case time in ms from open to TCP lost. A case that never
// opened counts from when its connection was made (the real fuzzer counts it
// from the epoch, which gives a Unix time in ms instead of a duration).
func duration(t engine.Timing, started time.Time) int64 {
	from := t.Opened
	if from.IsZero() {
		from = started
	}
	return int64(math.Round(float64(t.Lost.Sub(from)) / float64(time.Millisecond)))
}

func events(es []cases.Event) []report.Event {
	out := make([]report.Event, 0, len(es))
	for _, e := range es {
		out = append(out, report.Event{Kind: string(e.Kind), Payload: e.Payload, Binary: e.Binary, Tag: e.Tag})
	}
	return out
}

// wireEntries are the engine's wire log entries as the report's.
func wireEntries(es []wirelog.Entry) []report.WireEntry {
	if es == nil {
		return nil
	}
	out := make([]report.WireEntry, len(es))
	for i, e := range es {
		out[i] = report.WireEntry(e)
	}
	return out
}
