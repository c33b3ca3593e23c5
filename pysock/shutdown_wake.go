package pysock

import "time"

// A write parked on the poller by a full AF_UNIX socket waits for an event
// the socket's own shutdown does not raise. The kernel's blocking send
// wakes then and tries again: after SHUT_WR it fails with EPIPE, having
// returned its part if any. epoll reports no event for it (unix_poll has
// none for a shutdown of the sending side), so Shutdown wakes a parked
// blocking-mode call with a past deadline and a flag, and the call takes
// the deadline back (rearm) and tries again. CPython's timeout mode waits
// in poll(2), which reports no event either: its send times out, and so
// does pysock's. A TCP socket needs none of this: its shutdown raises
// EPOLLOUT. A net.Conn Write is left waiting, as Go's net leaves it.

// wakeWriter makes the blocking-mode write in progress, if any, try again.
// It reads only what another goroutine may read while that call runs: the
// socket's mode and handle, and the call's flags kept under dlmu.
func (s *Socket) wakeWriter() {
	h := s.h.Load()
	if s.timeout.Load() >= 0 || h == nil || h.nbFast() {
		return
	}
	sd := &s.w
	if sd.mu.TryLock() {
		sd.mu.Unlock() // no call in progress
		return
	}
	st := &sd.st
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	if st.adapter || st.cancel {
		return
	}
	h.retryW.Store(true)
	st.armed.Store(true) // the next call's begin clears the deadline if this one has ended
	h.file.SetWriteDeadline(time.Unix(1, 0))
}

// rearm takes back a wake-up that wakeWriter set, putting the call's own
// deadline back on the poller; it reports false when there was none.
func (st *ioState) rearm() bool {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	if st.cancel || st.adapter || !st.h.retryW.CompareAndSwap(true, false) {
		return false
	}
	if st.timed {
		st.setDeadline(monoTime(st.deadline))
	} else {
		st.armed.Store(false)
		st.setDeadline(time.Time{})
	}
	return true
}
