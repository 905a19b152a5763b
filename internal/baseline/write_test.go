package baseline

import (
	"os"
	"path/filepath"
	"testing"
)

// A baseline file is readable by all, as reports are: mode 0644 less the
// umask, as a file written with os.WriteFile(..., 0o644) in the same place
// gets (not the 0600 of a temporary file).
func TestWrittenReadableByAll(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "reference")
	if err := os.WriteFile(ref, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(ref)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "autobahn-baseline.json")
	if err := New().Write(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := info.Mode().Perm(), st.Mode().Perm(); got != want {
		t.Errorf("baseline file mode %v, want %v", got, want)
	}
}
