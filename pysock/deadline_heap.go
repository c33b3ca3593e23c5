package pysock

import (
	"sync"
	"time"
)

// The deadlines of waiting receives.
//
// A receive in timeout mode (or with a net.Conn deadline) that must wait
// could set its deadline on the poller, as Go net's SetReadDeadline does.
// But it would do so from the RawConn callback, at the bottom of pysock's
// call chain, and the runtime's timer code takes about a kilobyte of stack
// more: every goroutine parked in a timeout-mode receive would hold a
// 4 KiB stack instead of 2 KiB (20 MB at 10 000 connections). So the read
// side keeps its deadlines in a heap of pysock's own, which takes a few
// shallow frames to push and remove, and one goroutine waits for the
// earliest deadline. When one passes, that goroutine wakes the receive by
// setting a past deadline on the poller (as a cancelled context does), on
// its own stack; the receive then clears it when it returns, the one case
// where a receive runs the timer code, when the timeout has fired.
//
// Lock order: rdl.mu, then a call's dlmu. The heap goroutine expires an
// entry under rdl.mu, so a receive that finds its entry gone (remove
// reports false) knows the past deadline is already set.
var rdl struct {
	mu    sync.Mutex
	heap  []*ioState // ordered by deadline; st.h.rdl is the position + 1
	next  int64      // when the heap's goroutine wakes next (monoNow time); 0: never
	wake  chan struct{}
	start sync.Once
}

// rdlStart starts the heap's goroutine, once; begin calls it for a
// timed call, from a shallow frame.
func rdlStart() {
	rdl.start.Do(func() {
		rdl.wake = make(chan struct{}, 1)
		go rdlLoop()
	})
}

// rdlPush adds st's deadline (st.deadline) to the heap. It runs at the
// bottom of the callback's stack, so its own frame stays small: growing
// the slice and waking the heap's goroutine are calls of their own.
func rdlPush(st *ioState) {
	rdl.mu.Lock()
	i := len(rdl.heap)
	if i == cap(rdl.heap) {
		rdlGrow()
	}
	rdl.heap = rdl.heap[:i+1]
	rdl.heap[i] = st
	st.h.rdl = int32(i + 1)
	rdlUp(i)
	// The goroutine is woken only for a deadline before the one it sleeps
	// until: a receive that waits again and again with the same timeout
	// pushes later and later deadlines, and wakes nobody.
	early := rdl.next == 0 || st.deadline < rdl.next
	if early {
		rdl.next = st.deadline
	}
	rdl.mu.Unlock()
	if early {
		rdlWake()
	}
}

//go:noinline
func rdlGrow() {
	rdl.heap = append(rdl.heap[:cap(rdl.heap)], nil)[:len(rdl.heap)]
}

// rdlWake tells the heap's goroutine that the earliest deadline changed.
//
//go:noinline
func rdlWake() {
	select {
	case rdl.wake <- struct{}{}:
	default:
	}
}

// rdlRemove takes st out of the heap, and reports whether it was there:
// false means its deadline has already expired (or was never pushed).
func rdlRemove(st *ioState) bool {
	rdl.mu.Lock()
	defer rdl.mu.Unlock()
	i := int(st.h.rdl) - 1
	if i < 0 {
		return false
	}
	rdlDelete(i)
	return true
}

// rdlDelete removes the entry at i (under rdl.mu).
func rdlDelete(i int) {
	h := rdl.heap
	last := len(h) - 1
	h[i].h.rdl = 0
	if i != last {
		h[i] = h[last]
		h[i].h.rdl = int32(i + 1)
	}
	h[last] = nil
	rdl.heap = h[:last]
	if i != last {
		rdlDown(i)
		rdlUp(i)
	}
}

func rdlLess(i, j int) bool { return rdl.heap[i].deadline < rdl.heap[j].deadline }

func rdlSwap(i, j int) {
	h := rdl.heap
	h[i], h[j] = h[j], h[i]
	h[i].h.rdl = int32(i + 1)
	h[j].h.rdl = int32(j + 1)
}

func rdlUp(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !rdlLess(i, p) {
			return
		}
		rdlSwap(i, p)
		i = p
	}
}

func rdlDown(i int) {
	n := len(rdl.heap)
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && rdlLess(c+1, c) {
			c++
		}
		if !rdlLess(c, i) {
			return
		}
		rdlSwap(i, c)
		i = c
	}
}

// rdlLoop is the heap's goroutine: it expires the deadlines that have
// passed and sleeps until the next one, or until a push brings an
// earlier one. A removed entry does not wake it: it may wake for a
// deadline nobody waits for any more, and then sleeps until the earliest
// one left.
func rdlLoop() {
	t := time.NewTimer(time.Hour)
	for {
		rdl.mu.Lock()
		now := monoNow()
		for len(rdl.heap) > 0 && rdl.heap[0].deadline <= now {
			st := rdl.heap[0]
			rdlDelete(0)
			st.expire()
		}
		wait := time.Duration(-1)
		rdl.next = 0
		if len(rdl.heap) > 0 {
			wait = time.Duration(rdl.heap[0].deadline - now)
			rdl.next = rdl.heap[0].deadline
		}
		rdl.mu.Unlock()
		if wait >= 0 {
			t.Reset(wait)
		} else {
			t.Stop()
		}
		select {
		case <-t.C:
		case <-rdl.wake:
		}
	}
}

// expire wakes st's receive, whose deadline has passed (under rdl.mu).
func (st *ioState) expire() {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	st.setDeadline(time.Unix(1, 0))
}
