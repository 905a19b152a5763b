package suite

import (
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/harness"
	"github.com/wsfuzz/autobahn/report"
)

// failureMessage is the message of a spec whose case did not pass: which
// part failed and why, the commands that re-run exactly this case, then the
// case without its wire log (the whole log is the spec's report entry
// WireLogEntryName). reason, when given, is the baseline's judgement.
func failureMessage(r *harness.Runner, res *report.Result, chopping, reason string) string {
	var b strings.Builder
	policy := r.Config().Policy()
	head := fmt.Sprintf("case %s for %s %q failed under the %s:", res.ID, r.Role(), r.Agent(), policy)
	if reason != "" {
		head = fmt.Sprintf("case %s for %s %q failed against the baseline:\n    %s", res.ID, r.Role(), r.Agent(), reason)
	}
	b.WriteString(report.Failure(res, policy, head) + "\n")
	filter := shellQuote(fmt.Sprintf("case:%s && %s && agent:%s", res.ID, r.Role(), labelSafe(r.Agent())))
	seed := ginkgo.GinkgoRandomSeed()
	fmt.Fprintf(&b, "re-run this case: ginkgo --label-filter=%s --seed=%d\n", filter, seed)
	fmt.Fprintf(&b, "        or: go test -ginkgo.label-filter=%s -ginkgo.seed=%d\n", filter, seed)
	fmt.Fprintf(&b, "chopping: %s\n\n", chopping)
	b.WriteString(assertions.SummaryWithoutWireLog(res))
	fmt.Fprintf(&b, "\nwire log:        %d entries, in the report entry %q", len(res.Wirelog), WireLogEntryName)
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// oneLine is err's message on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}
