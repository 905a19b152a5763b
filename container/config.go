package container

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/spec"
)

// DefaultImage is the fuzzer image used unless Image.Ref or $AUTOBAHN_IMAGE
// names another: the release of October 2025, the first image that pins the
// fuzzer's own dependencies (testsuite 0.8.2 logic on AutobahnPython 0.10.9,
// the behaviour our Go fuzzer reproduces).
const DefaultImage = "crossbario/autobahn-testsuite:25.10.1"

// ImageEnv is the environment variable that selects the image when
// Image.Ref is empty.
const ImageEnv = "AUTOBAHN_IMAGE"

// DefaultTimeout bounds a whole run when Config.Timeout is zero.
const DefaultTimeout = time.Hour

// Image is a fuzzer image and how its wstest is called: wstest on the PATH,
// --mode, --spec /config/<mode>.json, reports under the spec's outdir.
type Image struct {
	// Ref is the image reference; empty means $AUTOBAHN_IMAGE, else
	// DefaultImage. Pin a tag: an image the engine already has is never
	// pulled, so a pinned tag loaded beforehand needs no registry.
	Ref string
	// ListenFlag passes "--listen ADDR" in fuzzingserver mode, ADDR being
	// where the fuzzer must listen inside the container. The real wstest has
	// no such flag and needs none, as it listens on every interface; our Go
	// wstest listens on 127.0.0.1 unless told otherwise.
	ListenFlag bool
}

// ref is the image reference to run.
func (i Image) ref() string {
	if i.Ref != "" {
		return i.Ref
	}
	if v := strings.TrimSpace(os.Getenv(ImageEnv)); v != "" {
		return v
	}
	return DefaultImage
}

// Network is how the fuzzer in its container and the implementation on the
// host reach each other.
type Network int

// Networks.
const (
	// DefaultNetwork is HostNetwork on Linux and BridgeNetwork elsewhere.
	DefaultNetwork Network = iota
	// HostNetwork runs the container in the host's network namespace: the
	// fuzzer reaches a server on the host's 127.0.0.1, and a client on the
	// host reaches the fuzzing server on 127.0.0.1. Linux only: Docker
	// Desktop (macOS, Windows) has no host network by default.
	HostNetwork
	// BridgeNetwork runs the container on Docker's default bridge. In
	// fuzzingserver mode the fuzzer's port is published on the host's
	// 127.0.0.1 under the same number, so that a client's Host header names
	// the port the fuzzer listens on (it refuses any other). In
	// fuzzingclient mode the fuzzer connects to host.docker.internal: Docker
	// Desktop's name for the host, mapped to the bridge's gateway elsewhere,
	// where the server must then listen on that address, not only on
	// 127.0.0.1.
	BridgeNetwork
)

// resolve turns DefaultNetwork into the network of this platform.
func (n Network) resolve() Network {
	if n != DefaultNetwork {
		return n
	}
	if runtime.GOOS == "linux" {
		return HostNetwork
	}
	return BridgeNetwork
}

// String names the network.
func (n Network) String() string {
	switch n {
	case HostNetwork:
		return "host network"
	case BridgeNetwork:
		return "bridge network"
	}
	return "default network"
}

// Config is one run of the fuzzer in a container.
type Config struct {
	Image   Image
	Network Network
	// Agent names the implementation under test in the reports. Required.
	Agent string
	// Cases and ExcludeCases select the cases with patterns as in spec files
	// ("3.*", "6.4.*", "7.1.1"); Cases defaults to every case.
	Cases, ExcludeCases []string
	// ExcludeAgentCases is the spec's "exclude-agent-cases".
	ExcludeAgentCases map[string][]string
	// Options is the spec's "options" object, handed to the fuzzer
	// unchanged, e.g. {"failByDrop": false}.
	Options map[string]any
	// ReportDir receives the reports copied out of the container. Required.
	ReportDir string
	// Timeout bounds the whole run, container start to removal; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// ProgressTimeout ends the run with ErrNoProgress when the fuzzer has
	// started no case and written no output for this long (a fuzzer that
	// crashed inside its container but did not exit); zero means the
	// longest selected case's own time bound plus a minute, a negative value
	// turns the watchdog off. Time spent in the client under test does not
	// count: its own limit bounds it.
	ProgressTimeout time.Duration
	// Log, when set, receives what the run does and the container's output.
	Log io.Writer
}

// check checks c for a run and returns the ids of the cases it selects.
func (c *Config) check() ([]string, error) {
	ids, err := c.selection()
	if c.ReportDir == "" {
		err = errors.Join(err, errors.New("container: Config.ReportDir is empty"))
	}
	return ids, err
}

// selection checks c but for ReportDir, which a Ginkgo registration fills
// in later, and returns the ids of the cases it selects, in the order the
// fuzzer numbers them.
func (c *Config) selection() ([]string, error) {
	var errs []error
	if strings.TrimSpace(c.Agent) == "" {
		errs = append(errs, errors.New("container: Config.Agent is empty"))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("container: Config.Timeout %v is negative", c.Timeout))
	}
	if c.Network < DefaultNetwork || c.Network > BridgeNetwork {
		errs = append(errs, fmt.Errorf("container: Config.Network %d is unknown", c.Network))
	}
	ids, err := cases.Resolve(c.include(), c.ExcludeCases)
	if err != nil {
		errs = append(errs, fmt.Errorf("container: case selection: %w", err))
	} else if len(ids) == 0 {
		errs = append(errs, errors.New("container: the case selection is empty"))
	}
	for _, id := range ids {
		if cases.IsExtended(id) {
			errs = append(errs, fmt.Errorf("container: case selection: %s is one of wsfuzz's own cases (section H), which the real fuzzer does not have; run section H with package suite or autobahntest", id))
			break
		}
	}
	if err := cases.AgentExclusions(c.ExcludeAgentCases).Validate(); err != nil {
		errs = append(errs, fmt.Errorf("container: ExcludeAgentCases: %w", err))
	}
	return ids, errors.Join(errs...)
}

func (c *Config) include() []string {
	if len(c.Cases) == 0 {
		return []string{"*"}
	}
	return c.Cases
}

func (c *Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c *Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}

// Where spec files and reports live inside the container: the paths the
// image's documentation uses.
const (
	configDir     = "/config/"
	serverOutDir  = "/reports/clients" // fuzzingserver mode tests clients
	clientOutDir  = "/reports/servers" // fuzzingclient mode tests servers
	specFileMode  = 0o644
	specFileLabel = "org.wsfuzz.autobahn.mode"
)

// specFile is an Autobahn spec file of either mode.
type specFile struct {
	URL               string              `json:"url,omitempty"`
	OutDir            string              `json:"outdir"`
	Servers           []specServer        `json:"servers,omitempty"`
	Cases             []string            `json:"cases"`
	ExcludeCases      []string            `json:"exclude-cases"`
	ExcludeAgentCases map[string][]string `json:"exclude-agent-cases"`
	Options           map[string]any      `json:"options,omitempty"`
}

type specServer struct {
	Agent string `json:"agent"`
	URL   string `json:"url"`
}

// specJSON is the spec file for mode: url is the fuzzing server's URL in
// fuzzingserver mode, the server's URL as the container sees it in
// fuzzingclient mode.
func (c *Config) specJSON(mode spec.Mode, url string) ([]byte, error) {
	s := specFile{Cases: c.include(), ExcludeCases: c.ExcludeCases, ExcludeAgentCases: c.ExcludeAgentCases,
		Options: c.Options}
	if s.ExcludeCases == nil {
		s.ExcludeCases = []string{}
	}
	if s.ExcludeAgentCases == nil {
		s.ExcludeAgentCases = map[string][]string{}
	}
	if mode == spec.FuzzingServer {
		s.URL, s.OutDir = url, serverOutDir
	} else {
		s.OutDir, s.Servers = clientOutDir, []specServer{{Agent: c.Agent, URL: url}}
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("container: encode the %s spec: %w", mode, err)
	}
	return b, nil
}
