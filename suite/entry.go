package suite

import (
	"fmt"

	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

// Names of the report entries a spec adds.
const (
	// EntryName holds a Verdict, on every spec that ran its case.
	EntryName = "autobahn"
	// WireLogEntryName holds the whole wire log (assertions.WireLog), on
	// failed specs.
	WireLogEntryName = "autobahn wire log"
)

// Verdict is the report entry of a spec: the case's verdicts and how it was
// run. Read it from Ginkgo's JSON report or in a ReportAfterSuite.
type Verdict struct {
	Case            string         `json:"case"`
	Role            string         `json:"role"`
	Agent           string         `json:"agent"`
	Behavior        report.Verdict `json:"behavior"`
	BehaviorClose   report.Verdict `json:"behaviorClose"`
	Result          string         `json:"result"`
	ResultClose     string         `json:"resultClose"`
	RemoteCloseCode *int           `json:"remoteCloseCode"`
	Chopping        string         `json:"chopping"`
	// Scheme is the URL scheme the case ran over: "ws", or "wss" for TLS.
	Scheme string `json:"scheme"`
	// ReportDir is where the case's Autobahn report goes, if anywhere.
	ReportDir string `json:"reportDir,omitempty"`
	// BaselinePath is the registration's Baseline file, if any.
	BaselinePath string `json:"baselinePath,omitempty"`
	// Baseline is what the baseline made of the case: "expected failure",
	// "stale baseline", "flaky", "regression", "recorded" or "".
	Baseline string `json:"baseline,omitempty"`
	// Update is the case as the baseline update records it, when the run
	// updates its baseline.
	Update *harness.Observation `json:"baselineUpdate,omitempty"`
}

func newVerdict(r *harness.Runner, res *report.Result, chopping string, j harness.Judgement) Verdict {
	cfg := r.Config()
	v := Verdict{Case: res.ID, Role: r.Role(), Agent: r.Agent(), Scheme: res.Scheme, Behavior: res.Behavior,
		BehaviorClose: res.BehaviorClose, Result: res.Result, ResultClose: res.ResultClose,
		RemoteCloseCode: res.RemoteCloseCode, Chopping: chopping, ReportDir: cfg.ReportDir(),
		BaselinePath: cfg.BaselinePath(), Baseline: j.Mark.String()}
	if cfg.UpdatingBaseline() {
		o := cfg.Observe(res)
		v.Update = &o
	}
	return v
}

// String is the console form: one line.
func (v Verdict) String() string {
	code := "none"
	if v.RemoteCloseCode != nil {
		code = fmt.Sprint(*v.RemoteCloseCode)
	}
	over := ""
	if v.Scheme != "" {
		over = " over " + v.Scheme + "://"
	}
	return fmt.Sprintf("case %s, %s %q%s: behavior %s, behaviorClose %s, peer's close code %s; chopping: %s",
		v.Case, v.Role, v.Agent, over, v.Behavior, v.BehaviorClose, code, v.Chopping)
}
