//go:build !race

package sched

// raceEnabled: this build has no race detector.
const raceEnabled = false
