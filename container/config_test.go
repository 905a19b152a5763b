package container

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"

	"github.com/wsfuzz/autobahn/internal/spec"
	"github.com/wsfuzz/autobahn/report"
)

func TestSpecFilesReadAsTheModeExpects(t *testing.T) {
	cfg := Config{Agent: "lib/1.0", Cases: []string{"1.1.*", "2.1"}, ExcludeCases: []string{"1.1.8"},
		ExcludeAgentCases: map[string][]string{"lib*": {"2.1"}}, Options: map[string]any{"failByDrop": false}}
	b, err := cfg.specJSON(spec.FuzzingServer, "ws://127.0.0.1:4242")
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Parse(b, spec.FuzzingServer)
	if err != nil {
		t.Fatalf("our own wstest refuses the fuzzingserver spec: %v\n%s", err, b)
	}
	if s.URL != "ws://127.0.0.1:4242" || s.OutDir != serverOutDir || len(s.Cases) != 8 || s.Options.FailByDrop {
		t.Errorf("fuzzingserver spec read as url %s, outdir %s, %d cases, failByDrop %v:\n%s", s.URL, s.OutDir, len(s.Cases), s.Options.FailByDrop, b)
	}
	if !s.ExcludeAgentCases.Excludes("lib/1.0", "2.1") {
		t.Errorf("exclude-agent-cases lost: %s", b)
	}
	b, err = cfg.specJSON(spec.FuzzingClient, "ws://host.docker.internal:4242/")
	if err != nil {
		t.Fatal(err)
	}
	s, err = spec.Parse(b, spec.FuzzingClient)
	if err != nil {
		t.Fatalf("our own wstest refuses the fuzzingclient spec: %v\n%s", err, b)
	}
	if s.OutDir != clientOutDir || len(s.Servers) != 1 || s.Servers[0].Agent != "lib/1.0" || s.Servers[0].URL != "ws://host.docker.internal:4242/" {
		t.Errorf("fuzzingclient spec read as outdir %s, servers %+v:\n%s", s.OutDir, s.Servers, b)
	}
	// the real fuzzer iterates these lists: never null
	b, _ = (&Config{Agent: "x"}).specJSON(spec.FuzzingServer, "ws://127.0.0.1:1")
	if !strings.Contains(string(b), `"exclude-cases": []`) || !strings.Contains(string(b), `"cases": [`) {
		t.Errorf("empty lists must be written as []:\n%s", b)
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{ReportDir: "d"}, "Config.Agent is empty"},
		{Config{Agent: "a"}, "Config.ReportDir is empty"},
		{Config{Agent: "a", ReportDir: "d", Cases: []string{"99.1"}}, `case selection: unknown case id "99.1"`},
		{Config{Agent: "a", ReportDir: "d", Cases: []string{"1.1.1"}, ExcludeCases: []string{"1.*"}}, "the case selection is empty"},
		{Config{Agent: "a", ReportDir: "d", Timeout: -time.Second}, "Config.Timeout -1s is negative"},
		{Config{Agent: "a", ReportDir: "d", Network: 7}, "Config.Network 7 is unknown"},
		{Config{Agent: "a", ReportDir: "d", Cases: []string{"*", "H.2.*"}}, "H.2.1 is one of wsfuzz's own cases"},
	} {
		_, err := tc.cfg.check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one with %q", tc.cfg, err, tc.want)
		}
	}
	ids, err := (&Config{Agent: "a", ReportDir: "d", Cases: []string{"2.*"}, ExcludeCases: []string{"2.1"}}).check()
	if err != nil || len(ids) != 10 || ids[0] != "2.2" || ids[9] != "2.11" {
		t.Errorf("2.* without 2.1: %v, %v", ids, err)
	}
	// a bad configuration returns before any container starts
	if _, err := FuzzingServer(context.Background(), Config{Agent: "a", ReportDir: "d"}, nil); err == nil || !strings.Contains(err.Error(), "no client function") {
		t.Errorf("FuzzingServer without a client: %v", err)
	}
	if _, err := FuzzingClient(context.Background(), Config{Agent: "a", ReportDir: "d"}, "http://127.0.0.1:1"); err == nil || !strings.Contains(err.Error(), "want ws://host:port/path") {
		t.Errorf("FuzzingClient with an http URL: %v", err)
	}
}

func TestImageRef(t *testing.T) {
	t.Setenv(ImageEnv, "")
	if got := (Image{}).ref(); got != DefaultImage {
		t.Errorf("default image %s, want %s", got, DefaultImage)
	}
	t.Setenv(ImageEnv, "mirror/autobahn:1")
	if got := (Image{}).ref(); got != "mirror/autobahn:1" {
		t.Errorf("with %s set: %s", ImageEnv, got)
	}
	if got := (Image{Ref: "own:2"}).ref(); got != "own:2" {
		t.Errorf("an explicit Ref gives %s", got)
	}
}

func TestServerURLInside(t *testing.T) {
	for _, tc := range []struct {
		url  string
		n    Network
		want string
	}{
		{"ws://127.0.0.1:9002/", HostNetwork, "ws://127.0.0.1:9002/"},
		{"ws://127.0.0.1:9002/echo?x=1", BridgeNetwork, "ws://host.docker.internal:9002/echo?x=1"},
		{"ws://localhost:9002", BridgeNetwork, "ws://host.docker.internal:9002"},
		{"ws://[::1]:9002/", BridgeNetwork, "ws://host.docker.internal:9002/"},
		{"ws://10.1.2.3:9002/", BridgeNetwork, "ws://10.1.2.3:9002/"},
	} {
		got, err := serverURLInside(tc.url, tc.n)
		if err != nil || got != tc.want {
			t.Errorf("%s on the %s: %q, %v; want %q", tc.url, tc.n, got, err, tc.want)
		}
	}
	for _, bad := range []string{"wss://127.0.0.1:1/", "ws://127.0.0.1/", "127.0.0.1:1", "ws://%zz"} {
		if _, err := serverURLInside(bad, HostNetwork); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// customized applies customizers to a request and returns it with its
// host configuration.
func customized(t *testing.T, opts ...testcontainers.ContainerCustomizer) (testcontainers.GenericContainerRequest, dcontainer.HostConfig) {
	t.Helper()
	var req testcontainers.GenericContainerRequest
	for _, o := range opts {
		if err := o.Customize(&req); err != nil {
			t.Fatal(err)
		}
	}
	var hc dcontainer.HostConfig
	if req.HostConfigModifier != nil {
		req.HostConfigModifier(&hc)
	}
	return req, hc
}

func TestNetworks(t *testing.T) {
	_, hc := customized(t, clientModeNetwork(HostNetwork))
	if hc.NetworkMode != "host" {
		t.Errorf("fuzzingclient on the host network: network mode %q", hc.NetworkMode)
	}
	_, hc = customized(t, clientModeNetwork(BridgeNetwork))
	if hc.NetworkMode != "" || !reflect.DeepEqual(hc.ExtraHosts, []string{"host.docker.internal:host-gateway"}) {
		t.Errorf("fuzzingclient on the bridge: network mode %q, extra hosts %v", hc.NetworkMode, hc.ExtraHosts)
	}
	_, hc = customized(t, serverModeNetwork(HostNetwork, 4242)...)
	if hc.NetworkMode != "host" || len(hc.PortBindings) != 0 {
		t.Errorf("fuzzingserver on the host network: %q, bindings %v", hc.NetworkMode, hc.PortBindings)
	}
	req, hc := customized(t, serverModeNetwork(BridgeNetwork, 4242)...)
	want := []network.PortBinding{{HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: "4242"}}
	if !reflect.DeepEqual(req.ExposedPorts, []string{"4242/tcp"}) || !reflect.DeepEqual(hc.PortBindings[network.MustParsePort("4242/tcp")], want) {
		t.Errorf("fuzzingserver on the bridge: exposed %v, bindings %v; want 4242 on 127.0.0.1:4242", req.ExposedPorts, hc.PortBindings)
	}
	if listenAddr(HostNetwork, 4242) != "127.0.0.1:4242" || listenAddr(BridgeNetwork, 4242) != "0.0.0.0:4242" {
		t.Errorf("listen addresses %s, %s", listenAddr(HostNetwork, 4242), listenAddr(BridgeNetwork, 4242))
	}
}

func TestReadReports(t *testing.T) {
	dir := t.TempDir()
	code := 1000
	in := []*report.Result{
		{Agent: "b", ID: "2.1", Behavior: "OK", BehaviorClose: "OK", RemoteCloseCode: &code},
		{Agent: "a", ID: "10.1.1", Behavior: "OK", BehaviorClose: "OK"},
		{Agent: "a", ID: "2.1", Behavior: "FAILED", BehaviorClose: "OK"},
	}
	if err := report.WriteJSON(dir, in); err != nil {
		t.Fatal(err)
	}
	rep, err := ReadReports(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Results {
		got = append(got, r.Agent+" "+r.ID+" "+string(r.Behavior))
	}
	if want := []string{"a 2.1 FAILED", "a 10.1.1 OK", "b 2.1 OK"}; !reflect.DeepEqual(got, want) {
		t.Errorf("results %v, want %v", got, want)
	}
	if r := rep.Result("b", "2.1"); r == nil || *r.RemoteCloseCode != 1000 {
		t.Errorf("Result(b, 2.1) = %+v", r)
	}
	if rep.Result("b", "10.1.1") != nil {
		t.Error("Result of a case not run is not nil")
	}

	// an index that names a file outside the directory, or the wrong case
	for _, tc := range []struct{ index, want string }{
		{`{"a": {"2.1": {"reportfile": "../a_case_2_1.json"}}}`, "not a plain file name"},
		{`{"a": {"2.2": {"reportfile": "a_case_2_1.json"}}}`, "index.json says case 2.2"},
		{`{"a": {"2.1": {"reportfile": "missing.json"}}}`, "missing.json"},
	} {
		if err := os.WriteFile(filepath.Join(dir, "index.json"), []byte(tc.index), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadReports(dir); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("index %s: %v, want an error with %q", tc.index, err, tc.want)
		}
	}
}

func TestTail(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\nb\nc", 5, "a\nb\nc"},
		{"", 3, ""},
		{"one\n\n", 1, "one"},
	} {
		if got := tail(tc.s, tc.n); got != tc.want {
			t.Errorf("tail(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestAvailableNamesADeadDockerHost(t *testing.T) {
	host := "unix://" + filepath.Join(t.TempDir(), "none.sock")
	t.Setenv("DOCKER_HOST", host)
	started := time.Now()
	err := Available(context.Background())
	if err == nil || !strings.Contains(err.Error(), "DOCKER_HOST="+host+" does not answer") {
		t.Fatalf("Available with DOCKER_HOST=%s: %v", host, err)
	}
	if d := time.Since(started); d > HealthTimeout+time.Second {
		t.Errorf("the check took %v", d)
	}
	t.Setenv(RequireEnv, "")
	if msg := UnavailableMessage(err); !strings.HasPrefix(msg, "skipping the real Autobahn fuzzer: ") || !strings.Contains(msg, "set "+RequireEnv+"=1") {
		t.Errorf("skip message %q", msg)
	}
	for v, want := range map[string]bool{"1": true, "true": true, "yes": true, "0": false, "false": false, "": false} {
		t.Setenv(RequireEnv, v)
		if Required() != want {
			t.Errorf("%s=%q: Required() = %v", RequireEnv, v, !want)
		}
	}
	t.Setenv(RequireEnv, "1")
	if msg := UnavailableMessage(err); !strings.Contains(msg, "cannot run") || !strings.Contains(msg, "fails instead of skipping") {
		t.Errorf("failure message %q", msg)
	}
}
