package pysock

import (
	"os"
	"runtime"
	"sync/atomic"
)

// The adaptive spin of a waiting receive.
//
// A receive in blocking or timeout mode that finds no data parks its
// goroutine on the runtime poller; being woken again (epoll, then a
// runtime thread woken with futex) costs more than a loopback peer that
// answers at once takes to answer. So before it parks, a receive may yield
// its P (runtime.Gosched) and try again, up to spinMax times. That pays
// where the data comes within those turns, and costs a syscall per turn
// where it does not, so each socket keeps a score of its read side:
//
//   - data found after one or more turns: the score rises by 2 (at most
//     spinTop);
//   - no data after spinMax turns: the score falls by 1, and the receive
//     parks;
//   - at 0 the receive parks at once, and every spinProbe-th wait probes
//     with a spin to see whether spinning pays again.
//
// Under load spinning is useless: a yield runs the other goroutines, and
// by the time the turn comes back the data would have woken a parked
// receive anyway. A turn that takes longer than spinBusyNs marks the whole
// process busy for spinQuietNs, during which a receive only probes, every
// spinProbe-th wait, and the probe parks without yielding until the quiet
// time is over.
//
// The figures that chose these values are in docs/performance.md.
// PYSOCK_SPIN=0 in the environment turns spinning off.
const (
	spinMax     = 8
	spinTop     = 16
	spinProbe   = 16
	spinBusyNs  = 20_000
	spinQuietNs = 1_000_000
)

var (
	spinOff = os.Getenv("PYSOCK_SPIN") == "0"
	// spinBusy is set while the process is busy: until spinBusyUntil (a
	// monoNow time), receives spin only to probe, as at score 0.
	spinBusy      atomic.Bool
	spinBusyUntil atomic.Int64
)

// spinner is the spin state of one socket's read side. Only the goroutine
// that holds the read side's lock uses it. The decision to spin is taken
// in the RawConn callback (again), the yield in pollIO (turn), which is
// shallower: a goroutine parked after a spin still fits the 2 KiB stack it
// started with.
type spinner struct {
	score uint8
	idle  uint8 // waits since the last probe, at score 0 or while busy
	turns uint8 // yields in this call
	park  bool  // this call parks at its next EAGAIN
}

// begin starts a call.
func (s *spinner) begin() { s.turns, s.park = 0, false }

// again reports whether a receive that found no data should have a turn
// (yield, then retry) rather than park.
func (s *spinner) again() bool {
	switch {
	case spinOff || s.park:
		return false
	case s.turns >= spinMax:
		s.lose()
		return false
	case s.turns == 0 && (s.score == 0 || spinBusy.Load()):
		if s.idle++; s.idle < spinProbe {
			return false
		}
		s.idle = 0
	}
	return true
}

// turn yields the P once, unless the process is busy; it measures the
// turn, and a long one marks the process busy.
func (s *spinner) turn() {
	now := monoNow()
	if spinBusy.Load() {
		if now < spinBusyUntil.Load() {
			s.park = true
			return
		}
		spinBusy.Store(false)
	}
	runtime.Gosched()
	s.turns++
	if monoNow()-now > spinBusyNs {
		spinBusyUntil.Store(monoNow() + spinQuietNs)
		spinBusy.Store(true)
		s.park = true
	}
}

// found records that a receive found data (or an error).
func (s *spinner) found() {
	if s.turns > 0 {
		s.score = min(s.score+2, spinTop)
	}
}

func (s *spinner) lose() {
	if s.score > 0 {
		s.score--
	}
}
