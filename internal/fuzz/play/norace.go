//go:build !race

package play

// raceFactor multiplies the bounds under the race detector; this build has
// none.
const raceFactor = 1
