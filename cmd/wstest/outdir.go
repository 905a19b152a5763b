package main

import (
	"fmt"
	"os"
)

// checkOutDir makes sure reports can be written to dir before any case
// runs, so that a bad outdir is refused at once rather than after the run.
func checkOutDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report directory %s cannot be created: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".wstest-check-*")
	if err != nil {
		return fmt.Errorf("report directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("report directory %s: %w", dir, err)
	}
	return nil
}
