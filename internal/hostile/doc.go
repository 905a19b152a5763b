// Package hostile holds the tests that run the fuzzer, in both roles,
// against peers that misbehave on purpose: peers that never answer, answer
// with garbage, flood, dribble, reset TCP or never close. Every case must
// still end within its timeouts with a verdict and a report, leave no
// goroutine behind, and keep its memory bounded. The package has no code of
// its own outside its tests.
package hostile
