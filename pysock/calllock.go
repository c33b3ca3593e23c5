package pysock

import (
	"sync"
	"sync/atomic"
	"time"
)

// A side's lock (side.mu) serializes the calls of one side of a Socket.
// Unlike a bare sync.Mutex, a call waiting for it keeps its own deadline,
// context and the socket's Close: in CPython two threads in recv on one
// socket both wait in the kernel (or in poll), and the second times out
// after its own timeout however long the first waits.
//
// The uncontended path is sync.Mutex's. The first contention allocates the
// handle's lockWaiters (one for both sides, kept in the handle to keep a
// Socket small), whose channel the unlocking call closes whenever someone
// waits.
type lockWaiters struct {
	n  atomic.Int32 // goroutines in lockSlow
	mu sync.Mutex
	ch chan struct{} // closed (and replaced) to wake the waiters
}

func (w *lockWaiters) channel() chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ch
}

func (w *lockWaiters) wakeAll() {
	w.mu.Lock()
	close(w.ch)
	w.ch = make(chan struct{})
	w.mu.Unlock()
}

// wakeWaiters makes the goroutines waiting for a side's lock look again:
// at the lock, at the socket's closed state and at their deadlines (an
// unlock, Close and SetDeadline call it).
func (h *handle) wakeWaiters() {
	if w := h.waiters.Load(); w != nil && w.n.Load() > 0 {
		w.wakeAll()
	}
}

// lockSlow waits for mu, a side's lock, until the call's wait would end:
// its deadline (m, or the adapter's current Go deadline), its context, or
// Close.
func (h *handle) lockSlow(mu *sync.Mutex, m *callMode, o *callOpts, read bool) error {
	w := h.waiters.Load()
	if w == nil {
		h.waiters.CompareAndSwap(nil, &lockWaiters{ch: make(chan struct{})})
		w = h.waiters.Load()
	}
	w.n.Add(1)
	defer w.n.Add(-1)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	var done <-chan struct{}
	if o != nil && o.ctx != nil {
		done = o.ctx.Done()
	}
	for {
		ch := w.channel()
		if mu.TryLock() {
			return nil
		}
		if h.closed.Load() {
			return errClosed()
		}
		if o != nil && o.adapter {
			m.timed, m.deadline = o.adapterTimed(read)
		}
		var expired <-chan time.Time
		if m.timed {
			left := time.Duration(m.deadline - monoNow())
			if left <= 0 {
				return errTimeout()
			}
			if timer == nil {
				timer = time.NewTimer(left)
			} else {
				timer.Reset(left)
			}
			expired = timer.C
		}
		select {
		case <-ch:
		case <-expired:
		case <-done:
			return o.ctx.Err()
		}
	}
}
