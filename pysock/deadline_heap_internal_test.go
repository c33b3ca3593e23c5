package pysock

import (
	"fmt"
	"math/rand/v2"
	"strconv"
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
		fd := 1<<20 + i*len(dlHeaps)
		states[i] = &ioState{h: &handle{fd: fd}, deadline: base + rand.Int64N(1e9)}
	}
	q := dlOf(states[0])
	dlStart(states[0])
	check := func(step string) {
		t.Helper()
		q.mu.Lock()
		defer q.mu.Unlock()
		if err := q.check(); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	for i, st := range states {
		if dlOf(st) != q {
			t.Fatalf("fd %d is on another heap", st.h.fd)
		}
		dlPush(st)
		if i%97 == 0 {
			check("push")
		}
	}
	check("pushes")
	// The pushes asked the heap's goroutine to make room as they went
	// (it may not have run yet: that is makeRoom's own test below).
	for i, k := range rand.Perm(n) {
		if !dlRemove(states[k]) {
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
	if dlRemove(states[0]) {
		t.Fatal("a removed entry was removed again")
	}
}

// check reports what is wrong with q (under q.mu): the heap's order, an
// entry whose slot or socket records another position, a slot that is
// neither in use nor on the free list, a capacity of one slice only.
func (q *dlHeap) check() error {
	if cap(q.heap) != cap(q.slots) || len(q.heap) > len(q.slots) {
		return fmt.Errorf("heap %d/%d, slots %d/%d", len(q.heap), cap(q.heap), len(q.slots), cap(q.slots))
	}
	used := make([]bool, len(q.slots))
	for i, e := range q.heap {
		sl := q.slots[e.slot]
		switch {
		case int(sl.pos) != i:
			return fmt.Errorf("entry %d: its slot %d records position %d", i, e.slot, sl.pos)
		case sl.st == nil || sl.st.h.rdl != e.slot+1:
			return fmt.Errorf("entry %d: its socket does not record slot %d", i, e.slot)
		case e.deadline != sl.st.deadline:
			return fmt.Errorf("entry %d: deadline %d, its receive's %d", i, e.deadline, sl.st.deadline)
		}
		if p := (i - 1) / 2; i > 0 && q.heap[p].deadline > e.deadline {
			return fmt.Errorf("entry %d is earlier than its parent %d", i, p)
		}
		used[e.slot] = true
	}
	free := 0
	for f := q.free; f != 0; f = q.slots[f-1].pos {
		if used[f-1] || q.slots[f-1].st != nil || free > len(q.slots) {
			return fmt.Errorf("free slot %d is in use, holds a receive, or the free list loops", f-1)
		}
		used[f-1] = true
		free++
	}
	if len(q.heap)+free != len(q.slots) {
		return fmt.Errorf("%d entries and %d free slots of %d", len(q.heap), free, len(q.slots))
	}
	return nil
}

// TestDeadlineHeapMakeRoom: asked to make room, a heap's goroutine makes
// its capacity four times what it holds, and only when asked. (A heap of
// the test's own: the shared ones have goroutines that make room too.)
func TestDeadlineHeapMakeRoom(t *testing.T) {
	q := &dlHeap{heap: make([]dlEntry, 0, 3), slots: make([]dlSlot, 0, 3)}
	for i := range int32(3) {
		st := &ioState{h: &handle{rdl: i + 1}, deadline: int64(i)}
		q.heap = append(q.heap, dlEntry{deadline: st.deadline, slot: i})
		q.slots = append(q.slots, dlSlot{st: st, pos: i})
	}
	q.makeRoom()
	if c := cap(q.heap); c != 3 {
		t.Fatalf("unasked: capacity %d, want 3", c)
	}
	q.grow = true
	q.makeRoom()
	if l, c := len(q.heap), cap(q.heap); l != 3 || c < 12 || q.grow {
		t.Fatalf("asked: length %d, capacity %d, grow still asked %v; want 3, at least 12, false", l, c, q.grow)
	}
	if err := q.check(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkDeadlineHeapFIFO is the heap's work in a timeout-mode server
// whose connections wait in turn (W3): each op removes the entry that has
// waited longest, then pushes it again with a later deadline. Its data
// stays in the CPU's caches, so it measures the instructions, not the
// cache misses of a server's sockets spread over memory (for those, see
// the W3 profile in docs/performance.md).
func BenchmarkDeadlineHeapFIFO(b *testing.B) {
	for _, n := range []int{100, 2500} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			states := make([]*ioState, n)
			base := monoNow() + 3600e9
			for i := range states {
				fd := 1<<21 + i*len(dlHeaps)
				states[i] = &ioState{h: &handle{fd: fd}, deadline: base + int64(i)}
			}
			dlStart(states[0])
			for _, st := range states {
				dlPush(st)
			}
			b.ResetTimer()
			for i := range b.N {
				st := states[i%n]
				if !dlRemove(st) {
					b.Fatal("entry not found")
				}
				st.deadline = base + int64(n+i)
				dlPush(st)
			}
			b.StopTimer()
			for _, st := range states {
				dlRemove(st)
			}
		})
	}
}
