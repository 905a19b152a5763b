package container

import (
	"fmt"
	"strings"
)

// outputLines is how many of the container's last lines an error quotes.
const outputLines = 20

// RunError is a run of the fuzzer that failed after its container started:
// what failed, in one line, and what the container wrote.
type RunError struct {
	// Image and Mode are the image run and its mode (fuzzingclient,
	// fuzzingserver).
	Image, Mode string
	// Err is what failed; several failures are joined.
	Err error
	// Output is everything the container wrote.
	Output string
}

// Error is one line naming what failed, then the container's last lines.
func (e *RunError) Error() string {
	return fmt.Sprintf("container: %s in %s mode: %s\nlast output of the container:\n%s",
		e.Image, e.Mode, oneLine(e.Err), tail(e.Output, outputLines))
}

// Unwrap is the failure, for errors.Is and errors.As.
func (e *RunError) Unwrap() error { return e.Err }

// oneLine is err's text on one line: joined errors are separated by "; ".
func oneLine(err error) string {
	var parts []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}
