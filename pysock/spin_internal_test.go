package pysock

import "testing"

// TestSpinPolicy walks the spinner through the policy spin.go states.
func TestSpinPolicy(t *testing.T) {
	if spinOff {
		t.Skip("PYSOCK_SPIN=0")
	}
	spinBusy.Store(false)
	var s spinner

	// Score 0: parks at once, and probes every spinProbe-th wait.
	probes := 0
	for range 3 * spinProbe {
		s.begin()
		if s.again() {
			probes++
		}
	}
	if probes != 3 {
		t.Fatalf("score 0: %d probes in %d waits, want 3", probes, 3*spinProbe)
	}

	// Data found after a turn raises the score; the next waits spin.
	s.begin()
	s.turns = 1
	s.found()
	if s.score != 2 {
		t.Fatalf("score after a find = %d, want 2", s.score)
	}
	s.begin()
	if !s.again() {
		t.Fatal("score 2: the wait does not spin")
	}
	// A find without a turn (data ready at once) changes nothing.
	s.found()
	if s.score != 2 {
		t.Fatalf("score after a find without a turn = %d, want 2", s.score)
	}

	// spinMax turns without data: the score falls by one, the wait parks.
	s.turns = spinMax
	if s.again() {
		t.Fatal("spun past spinMax")
	}
	if s.score != 1 {
		t.Fatalf("score after giving up = %d, want 1", s.score)
	}
	for range 20 {
		s.begin()
		s.turns = 1
		s.found()
	}
	if s.score != spinTop {
		t.Fatalf("score = %d, want the cap %d", s.score, spinTop)
	}

	// Busy: even a top score only probes, and the probe parks without
	// yielding while the quiet time lasts.
	spinBusy.Store(true)
	spinBusyUntil.Store(monoNow() + 60e9)
	defer spinBusy.Store(false)
	probes = 0
	for range 2 * spinProbe {
		s.begin()
		if s.again() {
			probes++
			s.turn()
			if !s.park || s.turns != 0 {
				t.Fatalf("busy probe: park %v after %d turns, want a park without a turn", s.park, s.turns)
			}
			if s.again() {
				t.Fatal("busy: a parked wait spins")
			}
		}
	}
	if probes != 2 {
		t.Fatalf("busy: %d probes in %d waits, want 2", probes, 2*spinProbe)
	}
	// Once the quiet time is over, the probe clears the busy mark and spins.
	spinBusyUntil.Store(monoNow())
	for !s.again() {
		s.begin()
	}
	s.turn()
	if s.turns == 0 && !spinBusy.Load() {
		t.Fatal("after the quiet time: no turn taken")
	}
}
