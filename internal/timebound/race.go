//go:build race

package timebound

// raceEnabled: this build has the race detector.
const raceEnabled = true
