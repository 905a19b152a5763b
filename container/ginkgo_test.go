package container

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/report"
	"github.com/wsfuzz/autobahn/suite"
)

// The Ginkgo suite below runs only in a process of its own, started by the
// tests further down, which read its JSON report: a spec that must fail can
// then fail without failing this package's tests.
const (
	// suiteEnv marks that process.
	suiteEnv = "AUTOBAHN_CONTAINER_SUITE"
	// listenEnv tells it that the image is the stand-in (ListenFlag).
	listenEnv = "AUTOBAHN_STANDIN_LISTEN"
	// progressEnv sets its Config.ProgressTimeout.
	progressEnv = "AUTOBAHN_TEST_PROGRESS_TIMEOUT"
)

func TestRealFuzzerSuite(t *testing.T) {
	if os.Getenv(suiteEnv) == "" {
		t.Skip("runs in a process of its own, started by TestGinkgo*")
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "Autobahn real fuzzer against gorilla")
}

var gorillaURL string

var _ = registerSuite()

// registerSuite registers gorilla's server and client against the image of
// $AUTOBAHN_IMAGE, on the platform's default network, with the oracle's
// case selection.
func registerSuite() bool {
	if os.Getenv(suiteEnv) == "" {
		return false
	}
	ginkgo.BeforeSuite(func() {
		url, stop, err := startGorillaServer()
		gomega.Expect(err).NotTo(gomega.HaveOccurred())
		gorillaURL = url
		ginkgo.DeferCleanup(stop)
	})
	img := Image{ListenFlag: os.Getenv(listenEnv) == "1"}
	progress, _ := time.ParseDuration(os.Getenv(progressEnv))
	for _, r := range []struct {
		run      string
		register func(Config) bool
	}{
		{oracleServerRun, func(c Config) bool { return Server(c, func() string { return gorillaURL }) }},
		{oracleClientRun, func(c Config) bool { return Client(c, gorillaClient) }},
	} {
		patterns, exclude, _, err := oracleSelection(r.run)
		if err != nil {
			ginkgo.It("selects the cases of "+r.run, func() { ginkgo.Fail(err.Error()) })
			continue
		}
		dir := ""
		if d := os.Getenv(reportDirEnv); d != "" {
			dir = filepath.Join(d, "ginkgo-"+r.run)
		}
		r.register(Config{Image: img, Agent: "gorilla", Cases: patterns, ExcludeCases: exclude,
			ReportDir: dir, Timeout: 15 * time.Minute, ProgressTimeout: progress})
	}
	return true
}

// suiteRun is one run of the Ginkgo suite in its own process.
type suiteRun struct {
	exit   int
	output string
	specs  types.SpecReports
}

// runSuite runs the suite with env set (a value "" unsets the variable) and
// reads its JSON report.
func runSuite(t *testing.T, env map[string]string) suiteRun {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestRealFuzzerSuite$", "-test.timeout=30m",
		"-ginkgo.json-report="+file, "-ginkgo.no-color")
	env[suiteEnv] = "1"
	for _, kv := range os.Environ() {
		if _, set := env[strings.SplitN(kv, "=", 2)[0]]; !set {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		if v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	out, err := cmd.CombinedOutput()
	run := suiteRun{output: string(out)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		run.exit = exit.ExitCode()
	case err != nil:
		t.Fatalf("run the suite: %v", err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the suite wrote no report (%v); its output:\n%s", err, out)
	}
	var reports []types.Report
	if err := json.Unmarshal(b, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("the suite's report: %v (%d suites)", err, len(reports))
	}
	for _, sr := range reports[0].SpecReports {
		if sr.LeafNodeType == types.NodeTypeIt {
			run.specs = append(run.specs, sr)
		}
	}
	return run
}

// verdictEntry is the spec's suite.Verdict report entry.
func verdictEntry(sr types.SpecReport) (suite.Verdict, bool) {
	for _, e := range sr.ReportEntries {
		if e.Name == suite.EntryName {
			var v suite.Verdict
			return v, json.Unmarshal([]byte(e.Value.AsJSON), &v) == nil
		}
	}
	return suite.Verdict{}, false
}

// wantState is the state of a case's spec under the default policy, from
// the real fuzzer's verdict.
func wantState(v oracleVerdict) types.SpecState {
	if v.Behavior == report.Unimplemented {
		return types.SpecStateSkipped
	}
	if assertions.Lenient.Accepts(&report.Result{Behavior: v.Behavior, BehaviorClose: v.BehaviorClose}) {
		return types.SpecStatePassed
	}
	return types.SpecStateFailed
}

func TestGinkgoSpecsJudgeTheRealFuzzersReports(t *testing.T) {
	requireDocker(t)
	img := testImage(t)
	env := map[string]string{listenEnv: ""}
	if img.Ref != "" {
		env[ImageEnv], env[listenEnv] = img.Ref, "1"
	}
	started := time.Now()
	run := runSuite(t, env)
	t.Logf("the suite ran %d specs in %v (exit code %d)", len(run.specs), time.Since(started).Round(time.Millisecond), run.exit)
	anyFails := false
	for _, r := range []struct{ role, oracle string }{{suite.RoleServer, oracleServerRun}, {suite.RoleClient, oracleClientRun}} {
		_, _, want, err := oracleSelection(r.oracle)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, sr := range run.specs {
			if !slices.Contains(sr.Labels(), r.role) {
				continue
			}
			seen++
			id := strings.Fields(sr.LeafNodeText)[0]
			w, ok := want[id]
			if !ok {
				t.Errorf("%s spec %q: case %s was not selected", r.role, sr.LeafNodeText, id)
				continue
			}
			labels := append(suite.Labels(r.role, "gorilla", id), Label)
			if got := sr.Labels(); !sameSet(got, labels) {
				t.Errorf("%s case %s: labels %v, want %v", r.role, id, got, labels)
			}
			if sr.State != wantState(w) {
				t.Errorf("%s case %s: spec %s (%s), want %s: the real fuzzer's verdict on gorilla is %s / %s",
					r.role, id, sr.State, sr.Failure.Message, wantState(w), w.Behavior, w.BehaviorClose)
			}
			anyFails = anyFails || wantState(w) == types.SpecStateFailed
			v, ok := verdictEntry(sr)
			if !ok || v.Behavior != w.Behavior || v.BehaviorClose != w.BehaviorClose || v.Case != id || v.Role != r.role {
				t.Errorf("%s case %s: report entry %+v, want behavior %s / %s", r.role, id, v, w.Behavior, w.BehaviorClose)
			}
		}
		if seen != len(want) {
			t.Errorf("%d %s specs, want one per selected case: %d", seen, r.role, len(want))
		}
	}
	if anyFails != (run.exit != 0) {
		t.Errorf("the suite exited with %d, yet specs that must fail: %v", run.exit, anyFails)
	}
	if t.Failed() {
		t.Logf("the suite's output:\n%s", run.output)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// TestGinkgoWithoutDocker points DOCKER_HOST at a socket nobody serves: the
// specs skip with the reason, or, under the nightly switch, fail with it.
func TestGinkgoWithoutDocker(t *testing.T) {
	host := "unix://" + filepath.Join(t.TempDir(), "no-engine.sock")
	reason := fmt.Sprintf("the Docker engine at DOCKER_HOST=%s does not answer", host)
	t.Run("skips", func(t *testing.T) {
		run := runSuite(t, map[string]string{"DOCKER_HOST": host, RequireEnv: "", ImageEnv: "", listenEnv: ""})
		if run.exit != 0 {
			t.Errorf("the suite exited with %d, want 0:\n%s", run.exit, run.output)
		}
		checkNoDocker(t, run, types.SpecStateSkipped, reason, "set "+RequireEnv+"=1 to make this a failure")
	})
	t.Run("fails when required", func(t *testing.T) {
		run := runSuite(t, map[string]string{"DOCKER_HOST": host, RequireEnv: "1", ImageEnv: "", listenEnv: ""})
		if run.exit == 0 {
			t.Errorf("the suite exited with 0 under %s=1:\n%s", RequireEnv, run.output)
		}
		checkNoDocker(t, run, types.SpecStateFailed, reason, RequireEnv+" is set, so this fails")
	})
}

// checkNoDocker checks that no spec ran, and that each container's first
// spec ended in state with a message that gives the reason and the switch.
func checkNoDocker(t *testing.T, run suiteRun, state types.SpecState, reason, hint string) {
	t.Helper()
	if len(run.specs) == 0 {
		t.Fatalf("no specs in the report:\n%s", run.output)
	}
	withMessage, announced := 0, 0
	for _, sr := range run.specs {
		for _, e := range sr.ReportEntries {
			if e.Name == "autobahn container" && strings.Contains(e.Value.Representation, reason) {
				announced++
			}
		}
		switch {
		case sr.State == types.SpecStatePassed:
			t.Errorf("spec %q passed without Docker", sr.LeafNodeText)
		case sr.State != types.SpecStateSkipped && sr.State != state:
			t.Errorf("spec %q: %s, want %s", sr.LeafNodeText, sr.State, state)
		case sr.State == state && strings.Contains(sr.Failure.Message, reason) && strings.Contains(sr.Failure.Message, hint):
			withMessage++
		}
	}
	// one message per registration (Server and Client)
	if withMessage != 2 {
		t.Errorf("%d specs %s with the message %q ... %q, want one per registration (2):\n%s",
			withMessage, state, reason, hint, run.output)
	}
	// a skip is silent on the console: the reason is shown once
	if want := map[types.SpecState]int{types.SpecStateSkipped: 1}[state]; announced != want {
		t.Errorf("the reason is announced %d times, want %d:\n%s", announced, want, run.output)
	}
}

// A run that fails fails its specs with the error's own text (what failed in
// one line, then the container's last output), not Gomega's dump of the
// error value.
func TestGinkgoFailureIsTheErrorsText(t *testing.T) {
	requireDocker(t)
	img := stalled(t)
	run := runSuite(t, map[string]string{ImageEnv: img.Ref, listenEnv: "", progressEnv: "3s"})
	if run.exit == 0 {
		t.Fatalf("the suite exited with 0 against a fuzzer that stalls:\n%s", run.output)
	}
	failed := 0
	for _, sr := range run.specs {
		if sr.State != types.SpecStateFailed {
			continue
		}
		failed++
		msg := sr.Failure.Message
		first, rest, _ := strings.Cut(msg, "\n")
		if !strings.HasPrefix(first, "container: "+img.Ref) || !strings.Contains(first, "made no progress") {
			t.Errorf("spec %q: the message's first line %q does not say what failed", sr.LeafNodeText, first)
		}
		if !strings.Contains(rest, "TypeError: Object of type bytes is not JSON serializable") {
			t.Errorf("spec %q: the message does not quote the container's output:\n%s", sr.LeafNodeText, msg)
		}
		if strings.Contains(msg, "<*") || strings.Contains(msg, "0x") {
			t.Errorf("spec %q: the message dumps the error value:\n%s", sr.LeafNodeText, msg)
		}
	}
	// the first spec of each registration (Server and Client) fails in its
	// BeforeAll, and the others with it
	if failed < 2 {
		t.Errorf("%d specs failed, want every spec of both registrations:\n%s", failed, run.output)
	}
}
