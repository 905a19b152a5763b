package report

// Verdict is the value of a case's behavior or behaviorClose, as the real
// fuzzer writes it in its reports.
type Verdict string

// Verdicts of behavior and behaviorClose. Behavior takes OK, NonStrict,
// Failed, NoClose, Informational or Unimplemented; behaviorClose takes OK,
// Failed, WrongCode, Unclean, FailedByClient, Informational or
// Unimplemented.
const (
	OK             Verdict = "OK"
	NonStrict      Verdict = "NON-STRICT"
	Failed         Verdict = "FAILED"
	NoClose        Verdict = "NO_CLOSE"
	Informational  Verdict = "INFORMATIONAL"
	Unimplemented  Verdict = "UNIMPLEMENTED"
	WrongCode      Verdict = "WRONG CODE"
	Unclean        Verdict = "UNCLEAN"
	FailedByClient Verdict = "FAILED BY CLIENT"
)

// Behaviors are the verdicts a case's behavior takes.
var Behaviors = []Verdict{OK, NonStrict, Failed, NoClose, Informational, Unimplemented}

// CloseBehaviors are the verdicts a case's behaviorClose takes.
var CloseBehaviors = []Verdict{OK, Failed, WrongCode, Unclean, FailedByClient, Informational, Unimplemented}
