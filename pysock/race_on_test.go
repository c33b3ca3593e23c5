//go:build race

package pysock_test

// raceOn: the race detector instruments allocations, so allocation counts
// mean nothing under it.
const raceOn = true
