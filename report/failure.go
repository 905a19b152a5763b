package report

import "strings"

// Failure is the text of a case that failed, as every entry point shows it:
// head, which says what judged the case failed (the pass policy or a
// baseline), then Why's lines indented by four spaces. A case that passes
// the policy but failed otherwise (against a stale baseline) shows its
// notes instead.
func Failure(r *Result, p Policy, head string) string {
	why := Why(r, p)
	if why == "" {
		why = strings.Join(r.Notes, "\n")
	}
	if why == "" {
		return head
	}
	return head + "\n    " + strings.ReplaceAll(why, "\n", "\n    ")
}
