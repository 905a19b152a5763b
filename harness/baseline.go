package harness

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"github.com/wsfuzz/autobahn/internal/baseline"
	"github.com/wsfuzz/autobahn/report"
)

// UpdateEnv is the environment variable that, set to 1 (or true), makes a
// run with a Baseline rewrite the baseline file from its results instead of
// judging against it, as golden files are updated.
const UpdateEnv = "AUTOBAHN_UPDATE_BASELINE"

// Mark is what a baseline made of a case's result, shown beside its
// verdict in reports.
type Mark int

// Marks of Judge.
const (
	// NoMark: no baseline entry decided the outcome.
	NoMark Mark = iota
	// ExpectedFailure: the case fails as the baseline records; it passes.
	ExpectedFailure
	// StaleBaseline: the baseline records a failure but the case now
	// passes; it fails until the baseline is updated.
	StaleBaseline
	// Flaky: the baseline marks the case flaky; it passes either way.
	Flaky
	// Regression: the case fails other than the baseline records.
	Regression
	// Recorded: the run updates the baseline and records this failure.
	Recorded
)

// String is the mark as reports show it, "" for NoMark.
func (m Mark) String() string {
	switch m {
	case NoMark:
		return ""
	case ExpectedFailure:
		return "expected failure"
	case StaleBaseline:
		return "stale baseline"
	case Flaky:
		return "flaky"
	case Regression:
		return "regression"
	case Recorded:
		return "recorded"
	}
	return fmt.Sprintf("Mark(%d)", int(m))
}

// Baseline judges cases against the expected results in the file at path
// (see docs/baselines.md): a case that gives its recorded verdicts
// passes, a regression fails, a recorded failure that now passes fails as a
// stale baseline, a flaky case passes either way, and a case the file does
// not list is judged by the pass policy. The file may also be an Autobahn
// index.json. With UpdateEnv set the file is rewritten from the run instead
// (by the front-end, at its end), and need not exist yet.
func Baseline(path string) Option {
	return func(c *Config) {
		if !c.claimBaseline("Baseline", path) {
			return
		}
		update, err := updating()
		if err != nil {
			c.fail("harness: Baseline(%q): %w", path, err)
			return
		}
		c.updating = update
		f, err := baseline.Read(path)
		switch {
		case err == nil:
			c.baseline = f
		case update && errors.Is(err, fs.ErrNotExist):
			c.baseline = baseline.New()
		case errors.Is(err, fs.ErrNotExist):
			c.fail("harness: Baseline(%q): %w (write it with %s=1)", path, err, UpdateEnv)
		default:
			c.fail("harness: Baseline(%q): %w", path, err)
		}
	}
}

// WriteBaseline records the run in the baseline file at path instead of
// judging against one, as Baseline does with UpdateEnv set: failures pass,
// and the front-end rewrites the file at the end (wstest --write-baseline).
func WriteBaseline(path string) Option {
	return func(c *Config) {
		if c.claimBaseline("WriteBaseline", path) {
			c.updating, c.baseline = true, baseline.New()
		}
	}
}

// claimBaseline sets the run's baseline path, or fails on an empty path or
// a second baseline.
func (c *Config) claimBaseline(option, path string) bool {
	switch {
	case path == "":
		c.fail("harness: %s(%q): no path given", option, path)
		return false
	case c.baselinePath != "":
		c.fail("harness: %s(%q): the run already has the baseline %s; give one Baseline or WriteBaseline", option, path, c.baselinePath)
		return false
	}
	c.baselinePath = path
	return true
}

// updating reads UpdateEnv.
func updating() (bool, error) {
	v := os.Getenv(UpdateEnv)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("environment variable %s=%q: want 1, true, 0 or false", UpdateEnv, v)
	}
	return b, nil
}

// BaselinePath is the file given to Baseline, or "".
func (c *Config) BaselinePath() string { return c.baselinePath }

// UpdatingBaseline reports whether the run rewrites its baseline (UpdateEnv
// is set, or WriteBaseline was given) instead of judging against it.
func (c *Config) UpdatingBaseline() bool { return c.baselinePath != "" && c.updating }

// roleOf is the role under test of a result: the fuzzer's opposite.
func roleOf(res *report.Result) string {
	if res.IsServer {
		return RoleClient
	}
	return RoleServer
}

// passes reports whether a result passes under the policy or is skipped.
func (c *Config) passes(res *report.Result) bool {
	return c.policy.Accepts(res) || c.skips(res)
}

// judgeBaseline decides res against the baseline; ok is false when the
// baseline has no say and the policy decides.
func (c *Config) judgeBaseline(res *report.Result) (Judgement, bool) {
	if c.baseline == nil || c.skips(res) {
		return Judgement{}, false
	}
	observed := verdicts(res.Behavior, res.BehaviorClose, res.RemoteCloseCode)
	if c.updating {
		if c.passes(res) {
			return Judgement{}, false
		}
		return Judgement{Passed, fmt.Sprintf("case %s: %s recorded in baseline %s (%s=1)",
			res.ID, observed, c.baselinePath, UpdateEnv), Recorded}, true
	}
	e, ok := c.baseline.Lookup(roleOf(res), res.Agent, res.ID)
	if !ok {
		return Judgement{}, false
	}
	why := ""
	if e.Reason != "" {
		why = " (" + e.Reason + ")"
	}
	recorded := verdicts(e.Behavior, e.BehaviorClose, e.RemoteCloseCode)
	recordedPasses := c.policy.Accepts(&report.Result{Behavior: e.Behavior, BehaviorClose: e.BehaviorClose})
	switch {
	case e.Flaky:
		return Judgement{Passed, fmt.Sprintf("case %s is flaky in baseline %s%s: this time %s",
			res.ID, c.baselinePath, why, observed), Flaky}, true
	case c.passes(res) && !recordedPasses:
		return Judgement{Failed, fmt.Sprintf("case %s: stale baseline: %s records %s%s, but the case now passes with %s; update it: rerun with %s=1 (wstest: --write-baseline %s)",
			res.ID, c.baselinePath, recorded, why, observed, UpdateEnv, c.baselinePath), StaleBaseline}, true
	case c.passes(res):
		return Judgement{}, false
	case res.Behavior == e.Behavior && res.BehaviorClose == e.BehaviorClose &&
		(e.RemoteCloseCode == nil || res.RemoteCloseCode != nil && *res.RemoteCloseCode == *e.RemoteCloseCode):
		return Judgement{Passed, fmt.Sprintf("case %s failed as expected: %s as recorded in baseline %s%s",
			res.ID, observed, c.baselinePath, why), ExpectedFailure}, true
	}
	return Judgement{Failed, fmt.Sprintf("case %s: regression: baseline %s records %s%s, observed %s",
		res.ID, c.baselinePath, recorded, why, observed), Regression}, true
}

// verdicts formats a pair of verdicts and a close code.
func verdicts(behavior, behaviorClose report.Verdict, code *int) string {
	s := fmt.Sprintf("behavior %s, behaviorClose %s", behavior, behaviorClose)
	if code != nil {
		s += fmt.Sprintf(", remote close code %d", *code)
	}
	return s
}
