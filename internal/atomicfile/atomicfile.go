// Package atomicfile writes files through a temporary file and a rename, so
// that no reader ever sees a half-written file.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Mode is the mode of the files Write makes, less the umask: readable by
// all, as the real fuzzer's reports (os.CreateTemp would make them 0600).
const Mode = 0o644

// Write writes data to path through a temporary file beside it and a
// rename. The file gets Mode less the umask.
func Write(path string, data []byte) error {
	f, err := createTemp(path)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
	}
	return werr
}

// createTemp creates a new file beside path, named after it, with Mode.
func createTemp(path string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, Mode)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name beside %s", path)
}
