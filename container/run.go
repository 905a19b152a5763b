package container

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/testcontainers/testcontainers-go"
	"github.com/wsfuzz/autobahn/internal/spec"
)

// removeTimeout bounds the removal of a container, also after the run's own
// context ended.
const removeTimeout = 30 * time.Second

// FuzzingClient runs the fuzzer in fuzzingclient mode against the WebSocket
// server at serverURL, given as the host reaches it (ws://127.0.0.1:PORT/),
// copies the reports into cfg.ReportDir and reads them. The container is
// removed before FuzzingClient returns. An error is a *RunError.
func FuzzingClient(ctx context.Context, cfg Config, serverURL string) (*Reports, error) {
	ids, err := cfg.check()
	if err != nil {
		return nil, err
	}
	n := cfg.Network.resolve()
	inside, err := serverURLInside(serverURL, n)
	if err != nil {
		return nil, err
	}
	specJSON, err := cfg.specJSON(spec.FuzzingClient, inside)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	s, err := start(ctx, &cfg, spec.FuzzingClient, specJSON, nil, clientModeNetwork(n))
	if err != nil {
		return nil, err
	}
	cfg.logf("fuzzingclient: %s on the %s is testing %s as %s", cfg.Image.ref(), n, inside, cfg.Agent)
	return s.finish(ctx, cfg.progressTimeout(ids), newProgress(), clientOutDir, func(ctx context.Context) error {
		code, err := s.waitExit(ctx)
		if err != nil {
			return err
		}
		if code != 0 {
			cfg.logf("fuzzingclient: wstest exited with code %d", code)
		}
		return nil
	}, nil)
}

// FuzzingServer runs the fuzzer in fuzzingserver mode and tests client: it
// calls client once per selected case with that case's URL, in order, then
// asks for the reports, copies them into cfg.ReportDir and reads them. The
// container is removed before FuzzingServer returns. An error of client is
// logged, not returned: the fuzzer's verdict on the case is what counts. An
// error of the run is a *RunError.
//
// The real fuzzer ends the /updateReports connection without a close frame
// (it stops at once after writing the reports); that end is no error when
// the reports then hold every case the fuzzer judged.
func FuzzingServer(ctx context.Context, cfg Config, client ClientFunc) (*Reports, error) {
	ids, err := cfg.check()
	if err != nil {
		return nil, err
	}
	if client == nil {
		return nil, errors.New("container: FuzzingServer: no client function given")
	}
	n := cfg.Network.resolve()
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := "ws://127.0.0.1:" + strconv.Itoa(port)
	specJSON, err := cfg.specJSON(spec.FuzzingServer, base)
	if err != nil {
		return nil, err
	}
	// no embedded web server: on the host network it would take port 8080
	args := []string{"--webport", "0"}
	if cfg.Image.ListenFlag {
		args = append(args, "--listen", listenAddr(n, port))
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout())
	defer cancel()
	s, err := start(ctx, &cfg, spec.FuzzingServer, specJSON, args, serverModeNetwork(n, port)...)
	if err != nil {
		return nil, err
	}
	cfg.logf("fuzzingserver: %s on the %s listens at %s", cfg.Image.ref(), n, base)
	p := newProgress()
	d := &driver{base: base, agent: cfg.Agent, ids: ids, exclude: cfg.ExcludeAgentCases, logf: cfg.logf, progress: p}
	return s.finish(ctx, cfg.progressTimeout(ids), p, serverOutDir, func(ctx context.Context) error {
		return d.run(ctx, s.exited, client)
	}, d.complete)
}

// session is a started fuzzer container.
type session struct {
	cfg  *Config
	mode spec.Mode
	ctr  *testcontainers.DockerContainer
}

// start starts the image in mode with the spec file copied in. extra are
// wstest arguments after the mode and spec.
func start(ctx context.Context, cfg *Config, mode spec.Mode, specJSON []byte, extra []string,
	custom ...testcontainers.ContainerCustomizer) (*session, error) {
	path := configDir + string(mode) + ".json"
	cmd := append([]string{"wstest", "--mode", string(mode), "--spec", path}, extra...)
	opts := append([]testcontainers.ContainerCustomizer{
		testcontainers.WithCmd(cmd...),
		testcontainers.WithFiles(testcontainers.ContainerFile{Reader: bytes.NewReader(specJSON),
			ContainerFilePath: path, FileMode: specFileMode}),
		testcontainers.WithLabels(map[string]string{specFileLabel: string(mode)}),
		// a Python fuzzer writes its lines as they come, not in blocks: the
		// progress watchdog and the log see each case start
		testcontainers.WithEnv(map[string]string{"PYTHONUNBUFFERED": "1"}),
	}, custom...)
	ctr, err := testcontainers.Run(ctx, cfg.Image.ref(), opts...)
	s := &session{cfg: cfg, mode: mode, ctr: ctr}
	if err != nil {
		if ctr != nil {
			err = errors.Join(err, s.remove(ctx))
		}
		return nil, fmt.Errorf("container: start %s in %s mode: %w", cfg.Image.ref(), mode, err)
	}
	return s, nil
}

// finish runs work under the progress watchdog (bound, p), then copies and
// reads the reports from outDir whatever work returned, checks them with
// verify when it is set, and removes the container. An error is a *RunError
// with the container's output.
func (s *session) finish(ctx context.Context, bound time.Duration, p *progress, outDir string,
	work func(context.Context) error, verify func(*Reports) error) (*Reports, error) {
	wctx, stop := s.watch(ctx, bound, p)
	workErr := work(wctx)
	stop()
	// the copy runs also when the run's time is up: what was written is kept
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), removeTimeout)
	defer cancel()
	var reports *Reports
	copyErr := copyReports(cctx, s.ctr, outDir, s.cfg.ReportDir)
	if copyErr == nil {
		reports, copyErr = ReadReports(s.cfg.ReportDir)
	}
	if copyErr == nil && workErr == nil && verify != nil {
		copyErr = verify(reports)
	}
	log := s.output(ctx)
	if s.cfg.Log != nil {
		fmt.Fprintf(s.cfg.Log, "---- output of %s (%s) ----\n%s---- end of output ----\n", s.cfg.Image.ref(), s.mode, log)
	}
	err := errors.Join(workErr, copyErr, s.remove(ctx))
	if reports != nil {
		reports.Log = log
	}
	if err != nil {
		return reports, &RunError{Image: s.cfg.Image.ref(), Mode: string(s.mode), Err: err, Output: log}
	}
	return reports, nil
}

// waitExit waits for the container to stop and returns its exit code.
func (s *session) waitExit(ctx context.Context) (int, error) {
	for {
		st, err := s.ctr.State(ctx)
		if err != nil {
			return 0, fmt.Errorf("state: %w", err)
		}
		if !st.Running {
			return st.ExitCode, nil
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("the fuzzer did not finish: %w", context.Cause(ctx))
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// exited reports whether the container stopped, with its exit code.
func (s *session) exited(ctx context.Context) (bool, int) {
	st, err := s.ctr.State(ctx)
	if err != nil || st.Running {
		return false, 0
	}
	return true, st.ExitCode
}

// output is what the container wrote so far.
func (s *session) output(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), removeTimeout)
	defer cancel()
	rc, err := s.ctr.Logs(ctx)
	if err != nil {
		return fmt.Sprintf("(no output: %v)\n", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		b = fmt.Appendf(b, "\n(output cut: %v)\n", err)
	}
	return string(b)
}

// remove stops and removes the container with its anonymous volumes, also
// when ctx has ended.
func (s *session) remove(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), removeTimeout)
	defer cancel()
	if err := s.ctr.Terminate(ctx, testcontainers.StopTimeout(5*time.Second)); err != nil {
		return fmt.Errorf("remove the container: %w", err)
	}
	return nil
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	b := []byte(s)
	end := len(b)
	for end > 0 && b[end-1] == '\n' {
		end--
	}
	i := end
	for lines := 0; i > 0; i-- {
		if b[i-1] == '\n' {
			if lines++; lines == n {
				break
			}
		}
	}
	return string(b[i:end])
}
