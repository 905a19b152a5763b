package assertions

import (
	"slices"

	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"
	"github.com/wsfuzz/autobahn/report"
)

// HaveRemoteCloseCode succeeds when the peer sent a close code that is one
// of codes, or any close code when codes is empty (as gexec's Exit()).
// Not(HaveRemoteCloseCode()) asserts that the peer sent none.
func HaveRemoteCloseCode(codes ...int) types.GomegaMatcher {
	return closeCodeMatcher("the peer's close code", codes, func(r *report.Result) *int { return r.RemoteCloseCode })
}

// HaveLocalCloseCode succeeds when the fuzzer's own close code is one of
// codes, or any close code when codes is empty.
func HaveLocalCloseCode(codes ...int) types.GomegaMatcher {
	return closeCodeMatcher("the fuzzer's close code", codes, func(r *report.Result) *int { return r.LocalCloseCode })
}

func closeCodeMatcher(what string, codes []int, code func(*report.Result) *int) types.GomegaMatcher {
	message := "Expected\n{{.FormattedActual}}\n{{.To}} have " + what + " one of\n{{format .Data 1}}"
	if len(codes) == 0 {
		message = "Expected\n{{.FormattedActual}}\n{{.To}} have " + what + " set"
	}
	return gcustom.MakeMatcher(func(actual any) (bool, error) {
		r, err := resultOf(actual)
		if err != nil {
			return false, err
		}
		c := code(r)
		return c != nil && (len(codes) == 0 || slices.Contains(codes, *c)), nil
	}).WithTemplate(message, codes)
}

// HaveClosedCleanly succeeds when the connection ended with a complete
// closing handshake (wasClean).
func HaveClosedCleanly() types.GomegaMatcher {
	return flagMatcher("have closed cleanly", func(r *report.Result) bool { return r.WasClean })
}

// Side is one end of the connection.
type Side int

// The two ends. Reports record only what the fuzzer did, so Peer means "not
// the fuzzer".
const (
	Fuzzer Side = iota
	Peer
)

func (s Side) String() string {
	if s == Peer {
		return "the peer"
	}
	return "the fuzzer"
}

// BeClosedBy succeeds when side started the closing handshake (closedByMe
// for the fuzzer).
func BeClosedBy(side Side) types.GomegaMatcher {
	return flagMatcher("have been closed by "+side.String(), func(r *report.Result) bool { return r.ClosedByMe == (side == Fuzzer) })
}

// BeFailedBy succeeds when side failed the connection (failedByMe for the
// fuzzer).
func BeFailedBy(side Side) types.GomegaMatcher {
	return flagMatcher("have been failed by "+side.String(), func(r *report.Result) bool { return r.FailedByMe == (side == Fuzzer) })
}

// BeDroppedBy succeeds when side dropped the TCP connection (droppedByMe for
// the fuzzer).
func BeDroppedBy(side Side) types.GomegaMatcher {
	return flagMatcher("have had TCP dropped by "+side.String(), func(r *report.Result) bool { return r.DroppedByMe == (side == Fuzzer) })
}

func flagMatcher(message string, flag func(*report.Result) bool) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(actual any) (bool, error) {
		r, err := resultOf(actual)
		if err != nil {
			return false, err
		}
		return flag(r), nil
	}, message)
}
