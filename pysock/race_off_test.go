//go:build !race

package pysock_test

const raceOn = false
