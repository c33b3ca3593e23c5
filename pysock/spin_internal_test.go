package pysock

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSpinPolicy walks the spinner through the states of spin.go's policy.
func TestSpinPolicy(t *testing.T) {
	if spinOff {
		t.Skip("PYSOCK_SPIN=0")
	}
	defer func(f func() bool) { nothingRunnable = f }(nothingRunnable)
	idle := true
	nothingRunnable = func() bool { return idle }

	// wait runs one receive that finds no data at first: again is the
	// callback's question at each EAGAIN, retry pollIO's half of a turn.
	// It returns the number of retries, and records a data find after
	// findAfter retries (never if negative).
	wait := func(s *spinner, start int64, findAfter int) int {
		s.begin(false)
		s.start = start
		for {
			if int(s.turns) == findAfter {
				s.found()
				return int(s.turns)
			}
			if !s.again() {
				return int(s.turns)
			}
			s.retry()
		}
	}
	var s spinner

	// Cold: a new socket parks at once.
	if n := wait(&s, monoNow(), -1); n != 0 || !s.parked {
		t.Fatalf("cold: %d retries, parked %v; want 0, true", n, s.parked)
	}
	// A short parked wait makes it hot; a long one cold again.
	s.start = monoNow()
	s.done()
	if !s.hot {
		t.Fatal("a short parked wait left the socket cold")
	}
	s.start = monoNow() - 2*spinHotNs
	s.done()
	if s.hot {
		t.Fatal("a long parked wait left the socket hot")
	}
	s.hot = true

	// Hot: retries until the data comes, and stays hot. (A start in the
	// future keeps the window open however slowly the test runs.)
	open := monoNow() + 1e12
	if n := wait(&s, open, 3); n != 3 || s.parked || !s.hot {
		t.Fatalf("hot: %d retries, parked %v, hot %v; want 3, false, true", n, s.parked, s.hot)
	}

	// A spin past its window parks, and the next 2^k-1 waits park at once.
	for k := 1; k <= spinBackoffMax+1; k++ {
		n := wait(&s, monoNow()-2*spinWindowNs, -1)
		if n != 0 || !s.parked || s.fails != uint8(min(k, spinBackoffMax)) {
			t.Fatalf("failure %d: %d retries, parked %v, fails %d; want 0, true, %d", k, n, s.parked, s.fails, min(k, spinBackoffMax))
		}
		want := 1<<min(k, spinBackoffMax) - 1
		for i := range want {
			if n := wait(&s, open, -1); n != 0 || !s.parked {
				t.Fatalf("failure %d, wait %d of %d after it: %d retries, want 0", k, i+1, want, n)
			}
		}
	}
	// After the backoff the socket spins again, and a find resets it.
	if n := wait(&s, open, 2); n != 2 || s.fails != 0 {
		t.Fatalf("after the backoff: %d retries, fails %d; want 2, 0", n, s.fails)
	}

	// A runnable goroutine: the spin stops at once and fails nothing.
	idle = false
	if n := wait(&s, open, -1); n != 0 || !s.parked || s.fails != 0 {
		t.Fatalf("busy: %d retries, parked %v, fails %d; want 0, true, 0", n, s.parked, s.fails)
	}
	idle = true

	// The retries are bounded even if the clock stands still.
	if n := wait(&s, open, -1); n != math.MaxUint8 || s.fails != 1 {
		t.Fatalf("frozen clock: %d retries, fails %d; want %d, 1", n, s.fails, math.MaxUint8)
	}

	// The data a wait gets after its spin ran out and it parked was not
	// found by the spin: the backoff holds. (With both ends in one process
	// every spin ran out, since the peer's wake-up waited for the
	// spinner's P, and every data after the park reset the backoff: each
	// round trip took a whole window, 53 µs against Go net's 10.)
	s.found()
	if s.fails != 1 || s.skip != 1 {
		t.Fatalf("data after a failed spin and a park: fails %d, skip %d; want 1, 1", s.fails, s.skip)
	}
}

// TestNothingRunnable checks the scheduler reading the spin relies on.
func TestNothingRunnable(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	// One P, the one this test runs on: a receive never spins.
	if nothingRunnable() {
		t.Fatal("GOMAXPROCS=1: nothingRunnable reports true")
	}
	runtime.GOMAXPROCS(2)

	// busy starts n goroutines that run until stop is called.
	busy := func(n int) (stop func()) {
		var quit atomic.Bool
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				for !quit.Load() {
				}
			})
		}
		return func() { quit.Store(true); wg.Wait() }
	}
	// check asks, yielding between, for the answer want, for up to 5 s:
	// a count of tries was not enough when other test processes held the
	// CPUs (CI runs packages side by side), so the goroutines waited for
	// a thread for longer than the tries took.
	check := func(want bool) bool {
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			if nothingRunnable() == want {
				return true
			}
			runtime.Gosched()
		}
		return false
	}

	// The other P busy with one goroutine, none waiting (the peer of an
	// in-process connection): this P has nothing else to run, so a receive
	// may spin.
	stop := busy(1)
	ok := check(true)
	stop()
	if !ok {
		t.Error("one goroutine running on the other P, none runnable: nothingRunnable never reported true")
	}

	// Three busy goroutines for two Ps: one of them waits at any time.
	stop = busy(3)
	ok = check(false)
	stop()
	if !ok {
		t.Error("three goroutines busy on two Ps: nothingRunnable never reported false")
	}
}
