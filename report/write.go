package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/wsfuzz/autobahn/internal/atomicfile"
)

// CleanAgent turns an agent name into the file name part the real fuzzer
// uses: lower case, every character but a-z and 0-9 a space, trimmed, spaces
// to underscores.
func CleanAgent(agent string) string {
	s := []byte(strings.ToLower(strings.TrimSpace(agent)))
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			s[i] = ' '
		}
	}
	return strings.ReplaceAll(strings.TrimSpace(string(s)), " ", "_")
}

// CaseFile is the per-case report file name for agent and case id, with ext
// ("json" or "html").
func CaseFile(agent, id, ext string) string {
	return CleanAgent(agent) + "_case_" + strings.ReplaceAll(id, ".", "_") + "." + ext
}

// IndexEntry is one case of index.json.
type IndexEntry struct {
	Behavior        Verdict `json:"behavior"`
	BehaviorClose   Verdict `json:"behaviorClose"`
	Duration        int64   `json:"duration"`
	RemoteCloseCode *int    `json:"remoteCloseCode"`
	ReportFile      string  `json:"reportfile"`
}

// Index is index.json: agent, then case id.
type Index map[string]map[string]IndexEntry

// MarshalIndent encodes v as the real fuzzer does: keys sorted, three spaces
// of indent, non-ASCII escaped as \uXXXX.
func MarshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "   ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return asciiJSON(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// asciiJSON escapes every non-ASCII character of a JSON text, as Python's
// json module does by default.
func asciiJSON(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		if r < 0x80 {
			out.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&out, `\u%04x`, u)
		}
	}
	return out.Bytes()
}

// WriteJSON writes index.json and one JSON file per result into dir, creating
// dir when needed. Case files come first and index.json last, each written
// atomically, so an index.json that exists is complete.
func WriteJSON(dir string, results []*Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: create %s: %w", dir, err)
	}
	if err := writeCaseJSON(dir, results); err != nil {
		return err
	}
	return writeIndexJSON(dir, results)
}

// writeCaseJSON writes the JSON file of every result.
func writeCaseJSON(dir string, results []*Result) error {
	for _, r := range results {
		b, err := MarshalIndent(r)
		if err != nil {
			return fmt.Errorf("report: encode case %s for %s: %w", r.ID, r.Agent, err)
		}
		name := CaseFile(r.Agent, r.ID, "json")
		if err := atomicfile.Write(filepath.Join(dir, name), b); err != nil {
			return fmt.Errorf("report: write %s: %w", name, err)
		}
	}
	return nil
}

// writeIndexJSON writes index.json listing results.
func writeIndexJSON(dir string, results []*Result) error {
	idx := Index{}
	for _, r := range results {
		if idx[r.Agent] == nil {
			idx[r.Agent] = map[string]IndexEntry{}
		}
		idx[r.Agent][r.ID] = IndexEntry{Behavior: r.Behavior, BehaviorClose: r.BehaviorClose,
			Duration: r.Duration, RemoteCloseCode: r.RemoteCloseCode, ReportFile: CaseFile(r.Agent, r.ID, "json")}
	}
	b, err := MarshalIndent(idx)
	if err != nil {
		return fmt.Errorf("report: encode index: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, "index.json"), b); err != nil {
		return fmt.Errorf("report: write index.json: %w", err)
	}
	return nil
}

// ReadIndex reads dir/index.json.
func ReadIndex(dir string) (Index, error) {
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var idx Index
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("report: %s: %w", filepath.Join(dir, "index.json"), err)
	}
	return idx, nil
}

// ReadResult reads one per-case JSON file.
func ReadResult(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("report: %s: %w", path, err)
	}
	return &r, nil
}
