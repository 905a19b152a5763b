// Package assertions holds Gomega matchers over the result of an Autobahn
// case (a *report.Result, or any value implementing ResultProvider): its
// verdicts under a pass policy, its close codes, how the connection ended,
// and the messages and pongs the fuzzer observed.
//
//	Expect(result).To(assertions.Pass())
//	Expect(result).To(assertions.HaveRemoteCloseCode(1002))
//	Expect(result).To(assertions.HaveReceived(assertions.TextMessage("Hello, world!")))
//
// Failure messages follow Gomega's layout. A result is rendered as a summary
// of the case (verdicts, expected and observed events, close codes) and the
// end of its wire log; importing the package registers that rendering with
// Gomega's format package.
package assertions

import (
	"fmt"

	"github.com/onsi/gomega/format"
	"github.com/wsfuzz/autobahn/report"
)

// ResultProvider is implemented by values that carry the result of a case,
// so that the matchers accept them as they accept a *report.Result.
type ResultProvider interface {
	AutobahnResult() *report.Result
}

// resultOf extracts the result from what a matcher was given.
func resultOf(actual any) (*report.Result, error) {
	var r *report.Result
	switch v := actual.(type) {
	case *report.Result:
		r = v
	case report.Result:
		r = &v
	case ResultProvider:
		r = v.AutobahnResult()
	default:
		return nil, fmt.Errorf("assertions: expected a *report.Result or a ResultProvider, got:\n%s", format.Object(actual, 1))
	}
	if r == nil {
		return nil, fmt.Errorf("assertions: expected a case result, got nil")
	}
	return r, nil
}

func init() { format.RegisterCustomFormatter(formatValue) }

// formatValue renders results and events for Gomega's messages.
func formatValue(v any) (string, bool) {
	switch x := v.(type) {
	case report.Event:
		return EventString(x), true
	case []report.Event:
		return EventsString(x), true
	}
	switch v.(type) {
	case *report.Result, report.Result, ResultProvider:
		if r, err := resultOf(v); err == nil {
			return Summary(r), true
		}
	}
	return "", false
}
