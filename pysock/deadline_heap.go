package pysock

import (
	"runtime"
	"sync"
	"time"
)

// The deadlines of waiting calls.
//
// A call in timeout mode that must wait could set its deadline on the
// poller, as Go net's SetReadDeadline does. But it would do so from the
// RawConn callback, at the bottom of pysock's call chain, and the
// runtime's timer code takes about a kilobyte of stack more: every
// goroutine parked in a timeout-mode receive or send would hold a 4 KiB
// stack instead of 2 KiB (20 MB at 10 000 connections). So the calls keep
// their deadlines in heaps of pysock's own, which take a few shallow
// frames to push and remove, and a goroutine per heap waits for its
// earliest deadline. When one passes, that goroutine wakes the call by
// setting a past deadline on the poller (as a cancelled context does), on
// its own stack; the call then clears it when it returns, the one case
// where a call runs the timer code, when the timeout has fired. (A
// net.Conn call's deadline, which SetDeadline may move while it waits,
// stays on the poller: applyAdapterDeadline.) A socket's receive and send
// have a place each (handle.rdl, handle.wdl).
//
// The deadlines are spread over several heaps by fd number, as the
// runtime keeps a timer heap per P: one lock taken by every waiting
// call would serialize a server's connections. And a heap's lock is a
// spin lock (spinLock): a call that found a sync.Mutex taken parked on
// it through the runtime's semaphore code, deep enough to double its
// stack for good.
//
// A heap keeps each entry's deadline in the entry, and the call's state
// in a table of slots beside it: an entry moving up or down the heap
// updates its slot's record of its position, in the same few cache lines,
// not the call's socket. A server's sockets are spread over memory,
// and a receive that gets its data removes the entry that has waited
// longest, at the root: the entry that replaces it moves down the whole
// heap, and when each step also wrote to a socket, that cost 3 % of a
// timeout-mode server's CPU at 10 000 connections.
//
// Lock order: a heap's mu, then a call's dlmu. The heap's goroutine
// expires an entry under mu, so a receive that finds its entry gone
// (remove reports false) knows the past deadline is already set.
type dlHeap struct {
	mu    spinLock
	heap  []dlEntry // ordered by deadline
	slots []dlSlot  // *st.heapPos() is the slot + 1; as many as the most entries the heap has held, cap(slots) == cap(heap)
	free  int32     // the first free slot + 1; 0: none
	next  int64     // when the goroutine wakes next (monoNow time); 0: never
	grow  bool      // the heap is over half full: the goroutine makes room
	wake  chan struct{}
	start sync.Once
	_     [64]byte // one heap's lock per cache line
}

// dlEntry is a heap entry: a deadline, and the slot of its call.
type dlEntry struct {
	deadline int64
	slot     int32
}

// dlSlot is the call of a heap entry, and the entry's position; a
// free slot's pos is the next free slot + 1.
type dlSlot struct {
	st  *ioState
	pos int32
}

// dlHeaps are the heaps: twice GOMAXPROCS at start-up, 4 to 64.
var dlHeaps = make([]dlHeap, min(max(2*runtime.GOMAXPROCS(0), 4), 64))

// dlOf is the heap of st's socket: the fd number does not change while
// the socket is open, so a push and its remove find the same heap.
func dlOf(st *ioState) *dlHeap { return &dlHeaps[uint(st.h.fd)%uint(len(dlHeaps))] }

// dlStart starts the goroutine of st's heap, once; begin calls it for a
// timed call, from a shallow frame.
func dlStart(st *ioState) {
	q := dlOf(st)
	q.start.Do(func() {
		q.wake = make(chan struct{}, 1)
		q.heap = make([]dlEntry, 0, 64)
		q.slots = make([]dlSlot, 0, 64)
		go q.loop()
	})
}

// dlPush adds st's deadline (st.deadline) to its heap. It runs at the
// bottom of the callback's stack, where any call that needs more stack
// doubles the goroutine's, for as long as it lives: so the heap's
// goroutine grows the slice, on its own stack, when it is half full (an
// allocation under the lock also holds it long enough for the pushes
// behind to give up spinning). Only a push that finds the slice full
// grows it itself, and waking the goroutine is a call of its own.
//
// dlPush and up are nosplit: they are the bottom of a parked timeout-mode
// receive's call chain, and their stack checks were what doubled its
// 2 KiB stack when the caller was a few frames deep (TestParkedStackSize).
// A nosplit frame may use the guard area below the checked part of the
// stack, which is there for such frames; the linker rejects a chain that
// does not fit, with or without optimization (.ci/run links a build
// without). The calls they make beyond the lock (growing the slice,
// waking the heap's goroutine) check the stack as usual.
//
//go:nosplit
func dlPush(st *ioState) {
	q := dlOf(st)
	q.mu.Lock()
	slot := q.free - 1
	if slot >= 0 {
		q.free = q.slots[slot].pos
	} else {
		slot = int32(len(q.slots))
		if int(slot) == cap(q.slots) {
			q.growNow()
		}
		q.slots = q.slots[:slot+1]
	}
	// len(heap) <= len(slots), and both have one capacity.
	i := len(q.heap)
	q.heap = q.heap[:i+1]
	q.heap[i] = dlEntry{deadline: st.deadline, slot: slot}
	q.slots[slot] = dlSlot{st: st, pos: int32(i)}
	*st.heapPos() = slot + 1
	q.up(i)
	// The goroutine is woken only for a deadline before the one it sleeps
	// until: a receive that waits again and again with the same timeout
	// pushes later and later deadlines, and wakes nobody.
	early := q.next == 0 || st.deadline < q.next
	if early {
		q.next = st.deadline
	}
	grow := !q.grow && 2*len(q.slots) > cap(q.slots)
	q.grow = q.grow || grow
	q.mu.Unlock()
	if early || grow {
		q.wakeUp()
	}
}

//go:noinline
func (q *dlHeap) growNow() {
	q.resize(2*cap(q.slots) + 1)
}

// resize gives the heap and the slots capacity n (at least their length).
func (q *dlHeap) resize(n int) {
	heap, slots := make([]dlEntry, len(q.heap), n), make([]dlSlot, len(q.slots), n)
	copy(heap, q.heap)
	copy(slots, q.slots)
	q.heap, q.slots = heap, slots
}

// makeRoom makes the slice's capacity four times its length, when a push
// found it over half full; the heap's goroutine calls it, and allocates
// outside the lock. (Four times: in a burst the pushes may fill the half
// left before this goroutine runs.)
func (q *dlHeap) makeRoom() {
	q.mu.Lock()
	want := 4 * len(q.slots)
	grow := q.grow
	q.grow = false
	q.mu.Unlock()
	if !grow {
		return
	}
	heap, slots := make([]dlEntry, 0, want), make([]dlSlot, 0, want)
	q.mu.Lock()
	if want > cap(q.slots) && len(q.slots) <= want {
		q.heap, q.slots = append(heap, q.heap...), append(slots, q.slots...)
	}
	q.mu.Unlock()
}

// wakeUp tells the heap's goroutine that the earliest deadline changed.
//
//go:noinline
func (q *dlHeap) wakeUp() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// dlRemove takes st out of its heap, and reports whether it was there:
// false means its deadline has already expired (or was never pushed).
func dlRemove(st *ioState) bool {
	q := dlOf(st)
	q.mu.Lock()
	defer q.mu.Unlock()
	slot := *st.heapPos() - 1
	if slot < 0 {
		return false
	}
	q.delete(int(q.slots[slot].pos))
	return true
}

// delete removes the entry at i and frees its slot (under mu); it returns
// the entry's call.
func (q *dlHeap) delete(i int) *ioState {
	h := q.heap
	last := len(h) - 1
	slot := h[i].slot
	st := q.slots[slot].st
	*st.heapPos() = 0
	q.slots[slot] = dlSlot{pos: q.free}
	q.free = slot + 1
	if i != last {
		h[i] = h[last]
		q.slots[h[i].slot].pos = int32(i)
	}
	q.heap = h[:last]
	if i != last {
		q.down(i)
		q.up(i)
	}
	return st
}

func (q *dlHeap) less(i, j int) bool { return q.heap[i].deadline < q.heap[j].deadline }

func (q *dlHeap) swap(i, j int) {
	h := q.heap
	h[i], h[j] = h[j], h[i]
	q.slots[h[i].slot].pos = int32(i)
	q.slots[h[j].slot].pos = int32(j)
}

// up moves entry i towards the root until the heap is ordered; nosplit
// (see dlPush).
//
//go:nosplit
func (q *dlHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !q.less(i, p) {
			return
		}
		q.swap(i, p)
		i = p
	}
}

func (q *dlHeap) down(i int) {
	n := len(q.heap)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && q.less(c+1, c) {
			c++
		}
		if !q.less(c, i) {
			return
		}
		q.swap(i, c)
		i = c
	}
}

// loop is the heap's goroutine: it expires the deadlines that have passed
// and sleeps until the next one, or until a push brings an earlier one. A
// removed entry does not wake it: it may wake for a deadline nobody waits
// for any more, and then sleeps until the earliest one left.
func (q *dlHeap) loop() {
	t := time.NewTimer(time.Hour)
	for {
		q.makeRoom()
		q.mu.Lock()
		now := monoNow()
		for len(q.heap) > 0 && q.heap[0].deadline <= now {
			q.delete(0).expire()
		}
		wait := time.Duration(-1)
		q.next = 0
		if len(q.heap) > 0 {
			wait = time.Duration(q.heap[0].deadline - now)
			q.next = q.heap[0].deadline
		}
		q.mu.Unlock()
		if wait >= 0 {
			t.Reset(wait)
		} else {
			t.Stop()
		}
		select {
		case <-t.C:
		case <-q.wake:
		}
	}
}

// expire wakes st's call, whose deadline has passed (under its heap's
// mu).
func (st *ioState) expire() {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	st.setDeadline(time.Unix(1, 0))
}

// heapPos is where st's place in its heap is kept: its handle's, for the
// side st is. Nosplit: dlPush calls it.
//
//go:nosplit
func (st *ioState) heapPos() *int32 {
	if st.isRead() {
		return &st.h.rdl
	}
	return &st.h.wdl
}

// restoreAfterWake clears the past deadline a shutdown's wake-up set on
// the poller for st, a timed call woken while parked (see unpark), unless
// its own deadline has expired meanwhile: the expiry's past deadline
// stays. Under the heap's mu, which the expiry holds from the heap to the
// poller.
func (st *ioState) restoreAfterWake() {
	q := dlOf(st)
	q.mu.Lock()
	st.dlmu.Lock()
	if !st.cancel && *st.heapPos() != 0 {
		st.setDeadline(time.Time{})
	}
	st.dlmu.Unlock()
	q.mu.Unlock()
}
