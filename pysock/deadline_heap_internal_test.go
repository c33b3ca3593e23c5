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
	// The pushes asked the heap's goroutine to make room as they went
	// (it may not have run yet: that is makeRoom's own test below).
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

// TestDeadlineHeapMakeRoom: asked to make room, a heap's goroutine makes
// its capacity four times what it holds, and only when asked. (A heap of
// the test's own: the shared ones have goroutines that make room too.)
func TestDeadlineHeapMakeRoom(t *testing.T) {
	st := &ioState{h: &handle{}}
	q := &rdlHeap{heap: []*ioState{st, st, st}}
	q.makeRoom()
	if c := cap(q.heap); c != 3 {
		t.Fatalf("unasked: capacity %d, want 3", c)
	}
	q.grow = true
	q.makeRoom()
	if l, c := len(q.heap), cap(q.heap); l != 3 || c < 12 || q.grow {
		t.Fatalf("asked: length %d, capacity %d, grow still asked %v; want 3, at least 12, false", l, c, q.grow)
	}
}
