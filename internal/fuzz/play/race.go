//go:build race

package play

// raceFactor multiplies the bounds under the race detector, which slows the
// peer's code down several times.
const raceFactor = 5
