package runner

import "github.com/wsfuzz/autobahn/cases"

// maxUnexpected is how many events a case records beyond the longest event
// list it expects: enough for the report to show what went wrong. Past that
// no outcome can match any more, and a peer that floods must not grow the
// list without end.
const maxUnexpected = 100

// record appends e to the received events unless the list already exceeds
// every expected outcome by maxUnexpected; it reports whether e was recorded.
func (r *Runner) record(e cases.Event) bool {
	longest := 0
	for _, o := range r.Case.Expected {
		longest = max(longest, len(o.Events))
	}
	if len(r.received) >= longest+maxUnexpected {
		return false
	}
	r.received = append(r.received, e)
	return true
}
