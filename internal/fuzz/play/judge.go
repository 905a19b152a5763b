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

// Run decodes in, plays the script with exec and judges the run. It
// returns "" when the run passes, else the report: the rules broken, the
// script in words, what the peer sent and the wire log. A loaded machine
// can stall a peer past the bound, so a hang counts only if a second run
// with ConfirmFactor times the bound hangs too. An error means the run
// could not start.
func Run(ctx context.Context, in []byte, fuzzerIsClient bool, bound time.Duration, exec Exec) (string, error) {
	sc := script.Decode(in).Finished()
	res, err := exec(ctx, sc, bound)
	if err != nil {
		return "", err
	}
	fails := oracle.Judge(sc, fuzzerIsClient, res.Obs)
	if slices.ContainsFunc(fails, timedOut) {
		if res, err = exec(ctx, sc, ConfirmFactor*bound); err != nil {
			return "", err
		}
		fails = oracle.Judge(sc, fuzzerIsClient, res.Obs)
	}
	if len(fails) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s\n\nthe script (the fuzzer's close is added when it sends none):\n%s\n\nwhat the %s sent:\n%s\n\nthe wire log:\n%s",
		failures(fails), sc, PeerRole(fuzzerIsClient), peerFrames(res.Obs), res.Log), nil
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
