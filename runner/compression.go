package runner

import (
	"github.com/wsfuzz/autobahn/engine"
	"github.com/wsfuzz/autobahn/frame"
	"github.com/wsfuzz/autobahn/report"
)

// deflateState is the message stream of a compression case.
type deflateState struct{}

// openCompression starts a compression case: without a negotiated
// permessage-deflate the case is UNIMPLEMENTED and the fuzzer closes.
func (r *Runner) openCompression(c *engine.Conn) {
	c.SetWirelog(false, true)
	c.SetAutoFragmentSize(r.Case.Compression.AutoFragment)
	normal := frame.CloseNormal
	if c.Compression() == nil {
		r.behavior = Unimplemented
		c.SendClose(&normal, "")
		return
	}
	r.behavior = Failed
	r.result = "harness: compressed message streams are not supported yet"
	c.SendClose(&normal, "")
}

func (r *Runner) checkCompression(c *engine.Conn, payload []byte, binary bool) {}

// trafficStats is the traffic snapshot of a compression case that passed.
func (r *Runner) trafficStats() *report.TrafficStats { return nil }
