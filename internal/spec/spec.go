// Package spec reads Autobahn spec files (fuzzingserver.json and
// fuzzingclient.json) with the meaning the real fuzzer gives their fields, so
// that an existing file works unchanged. Anything it does not understand is
// refused with an error naming the field.
package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/engine"
)

// Mode is the fuzzer's role.
type Mode string

// Modes of wstest that this package reads spec files for.
const (
	// FuzzingServer tests clients: the fuzzer listens.
	FuzzingServer Mode = "fuzzingserver"
	// FuzzingClient tests servers: the fuzzer connects.
	FuzzingClient Mode = "fuzzingclient"
)

// Server is one entry of a fuzzingclient spec's "servers".
type Server struct {
	Agent     string
	URL       string
	Origin    string
	Hostname  string
	Protocols []string
	// Options are the engine options for this server: defaults, then the
	// spec's global options, then the server's own.
	Options engine.Options
}

// Spec is a parsed spec file.
type Spec struct {
	Mode Mode
	// URL is where a fuzzing server listens.
	URL    string
	OutDir string
	// Cases are the case ids to run, resolved from "cases" and
	// "exclude-cases", in catalog order.
	Cases             []string
	ExcludeAgentCases cases.AgentExclusions
	// Options are the engine options of a fuzzing server.
	Options   engine.Options
	Protocols []string
	// Key and Cert are a fuzzing server's PEM private key and certificate
	// files for a wss:// url, as the real fuzzer's "key" and "cert".
	Key, Cert string
	Servers   []Server
	// Parallel is a fuzzing client's "parallel": how many cases to play at
	// once against a server; 0 when the spec does not say.
	Parallel int
}

// fields known per mode, with what each holds.
var fields = map[Mode]map[string]string{
	FuzzingServer: {"url": "string", "outdir": "string", "cases": "array of strings",
		"exclude-cases": "array of strings", "exclude-agent-cases": "object of arrays of strings",
		"options": "object", "protocols": "array of strings", "webport": "number",
		"key": "string", "cert": "string"},
	FuzzingClient: {"outdir": "string", "servers": "array of objects", "cases": "array of strings",
		"exclude-cases": "array of strings", "exclude-agent-cases": "object of arrays of strings",
		"options": "object", "parallel": "a whole number of at least 1"},
}

var serverFields = map[string]string{"agent": "string", "url": "string", "origin": "string",
	"hostname": "string", "protocols": "array of strings", "options": "object"}

// Read reads and parses the spec file at path for mode.
func Read(path string, mode Mode) (*Spec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	s, err := Parse(b, mode)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Parse parses a spec file's content for mode.
func Parse(b []byte, mode Mode) (*Spec, error) {
	known, ok := fields[mode]
	if !ok {
		return nil, fmt.Errorf("spec: unknown mode %q (want fuzzingserver or fuzzingclient)", mode)
	}
	raw, err := topObject(b)
	if err != nil {
		return nil, err
	}
	if err := checkKnown(raw, known, ""); err != nil {
		return nil, err
	}
	s := &Spec{Mode: mode, OutDir: "./reports/clients/"}
	if mode == FuzzingClient {
		s.OutDir = "./reports/servers/"
	}
	include, exclude := []string{"*"}, []string(nil)
	var global map[string]json.RawMessage
	for _, step := range []struct {
		name string
		into any
	}{
		{"url", &s.URL}, {"outdir", &s.OutDir}, {"cases", &include}, {"exclude-cases", &exclude},
		{"exclude-agent-cases", &s.ExcludeAgentCases}, {"protocols", &s.Protocols},
		{"key", &s.Key}, {"cert", &s.Cert}, {"parallel", &s.Parallel},
	} {
		if err := field(raw, step.name, known[step.name], step.into); err != nil {
			return nil, err
		}
	}
	if _, ok := raw["parallel"]; ok && s.Parallel < 1 {
		return nil, fmt.Errorf(`spec: field "parallel": want %s, got %d`, known["parallel"], s.Parallel)
	}
	if v, ok := raw["options"]; ok {
		if global, err = object(v, `field "options"`); err != nil {
			return nil, err
		}
	}
	if s.Cases, err = selectCases(include, exclude); err != nil {
		return nil, err
	}
	if s.Cases = cases.ForPeer(s.Cases, mode == FuzzingClient); len(s.Cases) == 0 {
		return nil, fmt.Errorf(`spec: field "cases" selects only cases that test %s, and %s mode tests %s`, otherPeer(mode), mode, peerOf(mode))
	}
	if err := s.ExcludeAgentCases.Validate(); err != nil {
		return nil, fmt.Errorf(`spec: field "exclude-agent-cases": %w`, err)
	}
	switch mode {
	case FuzzingServer:
		if s.URL == "" {
			return nil, fmt.Errorf(`spec: field "url" is required in fuzzingserver mode`)
		}
		if err := checkScheme(s.URL, `field "url"`); err != nil {
			return nil, err
		}
		if s.Options, err = Options(global, nil, `field "options"`); err != nil {
			return nil, err
		}
		s.Options.Protocols = s.Protocols
	case FuzzingClient:
		if err := s.parseServers(raw["servers"], global); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Spec) parseServers(v json.RawMessage, global map[string]json.RawMessage) error {
	if v == nil {
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return fmt.Errorf(`spec: field "servers": want an array of objects: %w`, err)
	}
	for i, item := range list {
		where := fmt.Sprintf(`field "servers"[%d]`, i)
		raw, err := object(item, where)
		if err != nil {
			return err
		}
		if err := checkKnown(raw, serverFields, fmt.Sprintf("servers[%d].", i)); err != nil {
			return err
		}
		var srv Server
		for _, step := range []struct {
			name string
			into any
		}{{"agent", &srv.Agent}, {"url", &srv.URL}, {"origin", &srv.Origin}, {"hostname", &srv.Hostname}, {"protocols", &srv.Protocols}} {
			if err := field(raw, step.name, serverFields[step.name], step.into); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		if srv.URL == "" {
			return fmt.Errorf("spec: %s: field \"url\" is required", where)
		}
		if err := checkScheme(srv.URL, where+`: field "url"`); err != nil {
			return err
		}
		var own map[string]json.RawMessage
		if o, ok := raw["options"]; ok {
			if own, err = object(o, where+`.options`); err != nil {
				return err
			}
		}
		if srv.Options, err = Options(global, own, where+".options"); err != nil {
			return err
		}
		srv.Options.Protocols, srv.Options.Origin = srv.Protocols, srv.Origin
		s.Servers = append(s.Servers, srv)
	}
	return nil
}

// checkScheme refuses a URL that is neither ws:// nor wss://.
func checkScheme(u, where string) error {
	if !strings.HasPrefix(u, "ws://") && !strings.HasPrefix(u, "wss://") {
		return fmt.Errorf("spec: %s: %q must be a ws:// or wss:// URL", where, u)
	}
	return nil
}

// object decodes a JSON object, refusing other types.
func object(b []byte, what string) (map[string]json.RawMessage, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil, fmt.Errorf("spec: %s: want a JSON object", what)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("spec: %s: %w", what, err)
	}
	return m, nil
}

func checkKnown(raw map[string]json.RawMessage, known map[string]string, prefix string) error {
	var unknown []string
	for k := range raw {
		if _, ok := known[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("spec: unknown field %q", prefix+unknown[0])
	}
	return nil
}

// field decodes raw[name] into dst when present.
func field(raw map[string]json.RawMessage, name, want string, dst any) error {
	v, ok := raw[name]
	if !ok || dst == nil {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("spec: field %q: want %s, got %s", name, want, jsonKind(v))
	}
	return nil
}

func jsonKind(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array (of the wrong kind)"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// peerOf is the side a mode tests: fuzzingclient tests servers.
func peerOf(m Mode) string {
	if m == FuzzingClient {
		return "servers"
	}
	return "clients"
}

func otherPeer(m Mode) string {
	if m == FuzzingClient {
		return "clients"
	}
	return "servers"
}
