// Package baseline reads and writes expected-results files: per role,
// agent and case the verdicts a run is expected to give, with a flag for
// cases that may give either and a free-text reason. It also accepts an
// Autobahn index.json as it is, as a baseline of every case in it.
//
// The file is JSON with one case per line, sorted, so that diffs read well:
//
//	{
//	 "autobahnBaseline": 1,
//	 "cases": [
//	  {"role": "server", "agent": "gorilla", "case": "6.3.1", "behavior": "FAILED", "behaviorClose": "OK", "reason": "no UTF-8 check"},
//	  {"role": "server", "agent": "gorilla", "case": "9.1.6", "flaky": true, "reason": "slow machine"}
//	 ]
//	}
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
)

// Version is the format version written in the "autobahnBaseline" key.
const Version = 1

// Roles of an entry: the kind of implementation under test. An entry from
// an index.json has no role (AnyRole) and applies to both.
const (
	RoleClient = "client"
	RoleServer = "server"
	AnyRole    = ""
)

// Entry is the expectation for one case of one agent in one role.
type Entry struct {
	Role            string         `json:"role"`
	Agent           string         `json:"agent"`
	Case            string         `json:"case"`
	Behavior        report.Verdict `json:"behavior,omitempty"`
	BehaviorClose   report.Verdict `json:"behaviorClose,omitempty"`
	RemoteCloseCode *int           `json:"remoteCloseCode,omitempty"`
	Flaky           bool           `json:"flaky,omitempty"`
	Reason          string         `json:"reason,omitempty"`
}

// File is a baseline: its entries by role, agent and case.
type File struct {
	entries map[key]Entry
}

type key struct{ role, agent, id string }

// document is the file's own format.
type document struct {
	Version *int              `json:"autobahnBaseline"`
	Cases   []json.RawMessage `json:"cases"`
}

// indexEntry is one case of an Autobahn index.json.
type indexEntry struct {
	Behavior        report.Verdict `json:"behavior"`
	BehaviorClose   report.Verdict `json:"behaviorClose"`
	Duration        *int64         `json:"duration"`
	RemoteCloseCode *int           `json:"remoteCloseCode"`
	ReportFile      string         `json:"reportfile"`
}

// New is an empty baseline.
func New() *File { return &File{entries: map[key]Entry{}} }

// Read reads the baseline file at path.
func Read(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	f, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	return f, nil
}

// Parse reads a baseline in this package's format or an Autobahn
// index.json. Errors name the entry and field at fault.
func Parse(b []byte) (*File, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if _, ok := top["autobahnBaseline"]; ok {
		return parseDocument(b)
	}
	return parseIndex(top)
}

func parseDocument(b []byte) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("top level: %w", err)
	}
	if doc.Version == nil || *doc.Version != Version {
		return nil, fmt.Errorf(`field "autobahnBaseline": want version %d`, Version)
	}
	f := New()
	for i, raw := range doc.Cases {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		var e Entry
		if err := d.Decode(&e); err != nil {
			return nil, fmt.Errorf("cases[%d]: %w", i, err)
		}
		if e.Role != RoleClient && e.Role != RoleServer && e.Role != AnyRole {
			return nil, fmt.Errorf(`cases[%d] field "role": %q, want "client", "server" or "" (both)`, i, e.Role)
		}
		if err := f.add(e); err != nil {
			return nil, fmt.Errorf("cases[%d] %w", i, err)
		}
	}
	return f, nil
}

func parseIndex(top map[string]json.RawMessage) (*File, error) {
	f := New()
	for agent, raw := range top {
		var byCase map[string]json.RawMessage
		if err := json.Unmarshal(raw, &byCase); err != nil {
			return nil, fmt.Errorf("index.json agent %q: not an object of cases (nor is there an \"autobahnBaseline\" key): %w", agent, err)
		}
		for id, raw := range byCase {
			var ie indexEntry
			d := json.NewDecoder(bytes.NewReader(raw))
			d.DisallowUnknownFields()
			if err := d.Decode(&ie); err != nil {
				return nil, fmt.Errorf("index.json agent %q case %q: %w", agent, id, err)
			}
			e := Entry{Agent: agent, Case: id, Behavior: ie.Behavior, BehaviorClose: ie.BehaviorClose, RemoteCloseCode: ie.RemoteCloseCode}
			if err := f.add(e); err != nil {
				return nil, fmt.Errorf("index.json agent %q %w", agent, err)
			}
		}
	}
	return f, nil
}

// add checks e and adds it; the error starts with the case.
func (f *File) add(e Entry) error {
	if _, ok := cases.ByID(e.Case); !ok {
		return fmt.Errorf(`field "case": unknown case %q`, e.Case)
	}
	if e.Agent == "" {
		return fmt.Errorf(`case %s field "agent": empty`, e.Case)
	}
	if err := checkVerdict(e, "behavior", e.Behavior, report.Behaviors); err != nil {
		return err
	}
	if err := checkVerdict(e, "behaviorClose", e.BehaviorClose, report.CloseBehaviors); err != nil {
		return err
	}
	k := key{e.Role, e.Agent, e.Case}
	if _, dup := f.entries[k]; dup {
		return fmt.Errorf("case %s: a second entry for agent %q", e.Case, e.Agent)
	}
	f.entries[k] = e
	return nil
}

func checkVerdict(e Entry, field string, v report.Verdict, allowed []report.Verdict) error {
	switch {
	case v == "" && e.Flaky:
		return nil
	case v == "":
		return fmt.Errorf("case %s field %q: missing (only a flaky entry may leave it out)", e.Case, field)
	case !slices.Contains(allowed, v):
		return fmt.Errorf("case %s field %q: unknown verdict %q (want one of %q)", e.Case, field, v, allowed)
	}
	return nil
}

// Lookup is the entry for case id of agent in role: the role's own entry,
// else one from an index.json, which has no role.
func (f *File) Lookup(role, agent, id string) (Entry, bool) {
	if e, ok := f.entries[key{role, agent, id}]; ok {
		return e, true
	}
	e, ok := f.entries[key{"", agent, id}]
	return e, ok
}

// Set records e, replacing any entry of its role, agent and case and any
// role-less (index.json) entry of its agent and case.
func (f *File) Set(e Entry) {
	delete(f.entries, key{"", e.Agent, e.Case})
	f.entries[key{e.Role, e.Agent, e.Case}] = e
}

// Delete removes the entries of case id of agent in role, the role-less
// one included.
func (f *File) Delete(role, agent, id string) {
	delete(f.entries, key{role, agent, id})
	delete(f.entries, key{"", agent, id})
}

// Entries are the entries sorted by role, agent and case.
func (f *File) Entries() []Entry {
	out := make([]Entry, 0, len(f.entries))
	for _, e := range f.entries {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		switch {
		case a.Role != b.Role:
			return strings.Compare(a.Role, b.Role)
		case a.Agent != b.Agent:
			return strings.Compare(a.Agent, b.Agent)
		}
		return cases.CompareIDs(a.Case, b.Case)
	})
	return out
}
