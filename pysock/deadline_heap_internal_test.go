package pysock

import (
	"math/rand/v2"
	"testing"
)

// TestDeadlineHeap pushes and removes receive deadlines on one heap and
// checks, after each step, that the heap is ordered and that every
// socket's position is where its entry is.
func TestDeadlineHeap(t *testing.T) {
	const n = 1000
	// Sockets whose fd numbers all fall on one heap, with deadlines an
	// hour away, so the heap's goroutine expires none of them.
	states := make([]*ioState, n)
	base := monoNow() + 3600e9
	for i := range states {
		fd := 1<<20 + i*len(rdlHeaps)
		states[i] = &ioState{h: &handle{fd: fd}, deadline: base + rand.Int64N(1e9)}
	}
	q := rdlOf(states[0])
	rdlStart(states[0])
	check := func(step string) {
		t.Helper()
		q.mu.Lock()
		defer q.mu.Unlock()
		for i, st := range q.heap {
			if int(st.h.rdl) != i+1 {
				t.Fatalf("%s: entry %d records position %d", step, i, st.h.rdl-1)
			}
			if p := (i - 1) / 2; i > 0 && q.heap[p].deadline > st.deadline {
				t.Fatalf("%s: entry %d is earlier than its parent %d", step, i, p)
			}
		}
	}
	for i, st := range states {
		if rdlOf(st) != q {
			t.Fatalf("fd %d is on another heap", st.h.fd)
		}
		rdlPush(st)
		if i%97 == 0 {
			check("push")
		}
	}
	check("pushes")
	// Asked to make room, the heap's goroutine makes it four times what
	// the heap holds (the pushes here asked already; this is the call
	// its goroutine makes, whether or not it has run yet).
	q.mu.Lock()
	q.grow = true
	q.mu.Unlock()
	q.makeRoom()
	q.mu.Lock()
	if l, c := len(q.heap), cap(q.heap); c < 4*l || q.grow {
		t.Errorf("after makeRoom: capacity %d for %d entries, grow still asked: %v", c, l, q.grow)
	}
	q.mu.Unlock()
	check("makeRoom")
	for i, k := range rand.Perm(n) {
		if !rdlRemove(states[k]) {
			t.Fatalf("remove %d: entry not found", k)
		}
		if states[k].h.rdl != 0 {
			t.Fatalf("remove %d: position still recorded", k)
		}
		if i%97 == 0 {
			check("remove")
		}
	}
	check("removes")
	if rdlRemove(states[0]) {
		t.Fatal("a removed entry was removed again")
	}
}
