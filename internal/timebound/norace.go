//go:build !race

package timebound

// raceEnabled: this build has no race detector.
const raceEnabled = false
