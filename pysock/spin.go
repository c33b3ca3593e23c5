package pysock

import (
	"math"
	"os"
	"runtime/metrics"
	"sync"
)

// The adaptive spin of a waiting receive.
//
// A receive in blocking or timeout mode that finds no data parks its
// goroutine on the runtime poller. Being woken again costs more than a
// loopback peer that answers at once takes to answer: epoll, a runtime
// thread woken with futex, and on a virtual machine a halted virtual CPU
// woken with an interrupt. So before it parks, a receive may retry the
// recvfrom for up to spinWindowNs, keeping its P and its CPU. It does so
// only where that pays and costs nobody else:
//
//   - the socket is hot: its last wait was short (at most spinHotNs,
//     parking included), or its last spin found data;
//   - no spin failed recently: a spin that finds nothing within the window
//     makes the next 2^k-1 waits park at once (k failures in a row, at most
//     spinBackoffMax), so a socket whose peer answers a little too slowly
//     spins on one wait in 256;
//   - no goroutine is runnable and GOMAXPROCS > 1 (runtime/metrics, read
//     when the spin starts and every spinCheckEvery retries): a spin never
//     holds a P that another goroutine could use, and with GOMAXPROCS=1
//     there is no spin at all. The other Ps may be busy: a spin on a P
//     that has nothing else to run takes nothing from them, and with both
//     ends of a connection in one process the peer runs on another P
//     while this end spins. (A check that also wanted another P idle
//     parked every such wait, and each wake-up then came from the other
//     CPU: docs/performance.md.)
//
// The spin does not yield with runtime.Gosched: every Gosched wakes an
// idle P's thread (wakep), which on two CPUs took the CPU the peer needed
// and cost 1.4 context switches per round trip.
//
// The figures that chose these values are in docs/performance.md.
// PYSOCK_SPIN=0 in the environment turns spinning off.
const (
	spinWindowNs   = 50_000
	spinHotNs      = 200_000
	spinBackoffMax = 8 // skip is a uint8: 2^8-1 waits at most
	spinCheckEvery = 8
)

var spinOff = os.Getenv("PYSOCK_SPIN") == "0"

// spinner is the spin state of one socket's read side. Only the goroutine
// that holds the read side's lock uses it. The decision to spin is taken
// in the RawConn callback (again); the clock and the scheduler are read in
// pollIO (retry, done), which is shallower: a goroutine parked after a
// spin still fits the 2 KiB stack it started with.
type spinner struct {
	hot    bool  // the last wait was short: spinning may pay
	fails  uint8 // failed spins in a row
	skip   uint8 // waits left to park at once after a failed spin
	turns  uint8 // retries in this call
	park   bool  // this call parks at its next EAGAIN
	parked bool  // this call parked
	start  int64 // when this call started (monoNow), if it may wait
}

// begin starts a call; only a call that may wait (spin or park) reads the
// clock. The start is kept here rather than in pollIO's frame, which is
// under every parked receive (TestParkedStackSize).
func (s *spinner) begin(wait bool) {
	s.turns, s.park, s.parked, s.start = 0, false, false, 0
	if wait {
		s.start = monoNow()
	}
}

// again reports whether a receive that found no data should retry rather
// than park. It runs in the callback, so it reads no clock.
func (s *spinner) again() bool {
	switch {
	case spinOff || s.park || !s.hot:
	case s.turns > 0:
		return true
	case s.skip > 0:
		s.skip--
	default:
		return true
	}
	s.parked = true
	return false
}

// retry is pollIO's half of a retry: the next attempt either retries
// again or parks.
func (s *spinner) retry() {
	switch {
	case s.turns%spinCheckEvery == 0 && !nothingRunnable():
		s.park = true // other goroutines need the Ps: no failure
	case s.turns == math.MaxUint8 || monoNow()-s.start > spinWindowNs:
		s.fails = min(s.fails+1, spinBackoffMax)
		s.skip = uint8(1<<int(s.fails) - 1) // in int: 1<<8 would wrap in uint8
		s.park = true
	default:
		s.turns++
	}
}

// found records that a receive found data (or an error) in the callback:
// a spin that found it makes the socket hot again; one that ran out and
// parked did not find it, whatever the wait after it brought.
func (s *spinner) found() {
	if s.turns > 0 && !s.parked {
		s.fails, s.hot = 0, true
	}
}

// done records how long a call that parked waited.
func (s *spinner) done() {
	if s.parked {
		s.hot = monoNow()-s.start <= spinHotNs
	}
}

// nothingRunnable reports whether no goroutine waits for a P, with more
// than one P.
var nothingRunnable = func() func() bool {
	var mu sync.Mutex
	sample := []metrics.Sample{
		{Name: "/sched/goroutines/runnable:goroutines"},
		{Name: "/sched/gomaxprocs:threads"},
	}
	return func() bool {
		if !mu.TryLock() {
			return false // another receive is checking: it may spin, not both
		}
		defer mu.Unlock()
		metrics.Read(sample)
		for _, m := range sample {
			if m.Value.Kind() != metrics.KindUint64 {
				return false // a runtime without these metrics: no spin
			}
		}
		return sample[0].Value.Uint64() == 0 && sample[1].Value.Uint64() > 1
	}
}()
