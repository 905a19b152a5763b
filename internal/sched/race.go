//go:build race

package sched

// raceEnabled: this build has the race detector.
const raceEnabled = true
