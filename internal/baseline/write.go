package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wsfuzz/autobahn/internal/atomicfile"
)

// Marshal encodes f in this package's format: one entry per line, sorted
// by role, agent and case, so that a changed verdict is a one-line diff.
func (f *File) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\n \"autobahnBaseline\": %d,\n \"cases\": [", Version)
	for i, e := range f.Entries() {
		line, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("baseline: encode case %s of %q: %w", e.Case, e.Agent, err)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n  ")
		buf.Write(line)
	}
	buf.WriteString("\n ]\n}\n")
	return buf.Bytes(), nil
}

// Write writes f to path through a temporary file and a rename, creating
// the directory when needed. The file is readable by all (0644 less the
// umask), as reports are.
func (f *File) Write(path string) error {
	b, err := f.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if err := atomicfile.Write(path, b); err != nil {
		return fmt.Errorf("baseline: write %s: %w", path, err)
	}
	return nil
}
