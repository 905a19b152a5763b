package play

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// Exec plays a script against the peer under test with a bound.
type Exec func(ctx context.Context, s script.Script, bound time.Duration) (Result, error)

// ConfirmFactor multiplies the bound of the run that confirms a hang.
const ConfirmFactor = 10

// Outcome is the verdict of one run.
type Outcome struct {
	// Report is "" when the run passes, else the rules broken, the script
	// in words, what the peer sent and the wire log.
	Report string
	// Known holds the failures of the rules the caller declared known
	// findings: reported, but they do not fail the run.
	Known []oracle.Failure
}

// Run decodes in, plays the script with exec and judges the run. A failure
// of a rule in known does not fail the run: it is returned in Outcome.Known
// (and listed in the report when another rule fails). A loaded machine can
// stall a peer past the bound, so a hang counts only if a second run with
// ConfirmFactor times the bound hangs too. An error means the run could not
// start.
func Run(ctx context.Context, in []byte, fuzzerIsClient bool, bound time.Duration, exec Exec, known ...oracle.Rule) (Outcome, error) {
	sc := script.Decode(in).Finished()
	res, err := exec(ctx, sc, bound)
	if err != nil {
		return Outcome{}, err
	}
	fails := oracle.Judge(sc, fuzzerIsClient, res.Obs)
	if slices.ContainsFunc(fails, func(f oracle.Failure) bool { return timedOut(f) && !slices.Contains(known, f.Rule) }) {
		if res, err = exec(ctx, sc, ConfirmFactor*bound); err != nil {
			return Outcome{}, err
		}
		fails = oracle.Judge(sc, fuzzerIsClient, res.Obs)
	}
	var out Outcome
	var failed []oracle.Failure
	for _, f := range fails {
		if slices.Contains(known, f.Rule) {
			out.Known = append(out.Known, f)
		} else {
			failed = append(failed, f)
		}
	}
	if len(failed) == 0 {
		return out, nil
	}
	knownNote := ""
	if len(out.Known) > 0 {
		knownNote = "\n\nknown findings in this run too (declared known: reported, not failed):\n" + failures(out.Known)
	}
	out.Report = fmt.Sprintf("%s%s\n\nthe script (the fuzzer's close is added when it sends none):\n%s\n\nwhat the %s sent:\n%s\n\nthe wire log:\n%s",
		failures(failed), knownNote, sc, PeerRole(fuzzerIsClient), peerFrames(res.Obs), res.Log)
	return out, nil
}

// PeerRole names the role of the peer under test.
func PeerRole(fuzzerIsClient bool) string {
	if fuzzerIsClient {
		return "server"
	}
	return "client"
}

// timedOut reports whether f is a failure of a bound.
func timedOut(f oracle.Failure) bool {
	return f.Rule == oracle.RuleHang || f.Rule == oracle.RuleReturn
}

// failures lists the rules broken, one a line.
func failures(fs []oracle.Failure) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  - %v\n", f.Error())
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// peerFrames describes what the peer did: its frames and how it ended.
func peerFrames(obs oracle.Observation) string {
	const shown = 40
	frames, rest := oracle.ParseFrames(obs.Received)
	var b strings.Builder
	for i, f := range frames {
		if i == shown {
			fmt.Fprintf(&b, "  ... %d frames more\n", len(frames)-shown)
			break
		}
		fmt.Fprintf(&b, "  %2d. %v\n", i+1, f)
	}
	if len(frames) == 0 {
		b.WriteString("  no frame\n")
	}
	if rest > 0 {
		fmt.Fprintf(&b, "  then %d octets that are no whole frame\n", rest)
	}
	switch {
	case obs.Panic != "":
		b.WriteString("  then it panicked")
	case obs.Hang:
		b.WriteString("  then it hung: " + obs.HangDetail)
	default:
		b.WriteString("  then the connection ended")
	}
	return b.String()
}
