package pysock

import (
	"errors"
	"os"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
)

// Every waiting call runs through begin, run and end (the one wrapper
// shape, as in mdlayher/socket): begin takes the side's lock within the
// call's own deadline and decides the mode, run makes the syscalls through
// the poller and maps the result to Python's exception, end releases.
//
// The context-aware variants (RecvContext…) behave like their plain twins
// in the socket's current mode (blocking, timeout or non-blocking; the
// mode is not changed), and in addition return ctx.Err() promptly when ctx
// is cancelled or its deadline passes while the call waits. A cancelled
// call has consumed nothing: received data stays queued, and
// SendAllContext may have sent a prefix of the data, as a timed-out
// sendall may. (A blocking-mode MSG_WAITALL receive that already holds
// part of its data returns that part instead, as the kernel's call
// interrupted by a signal does.)

// callMode is how a call waits, decided when it starts (CPython's
// sock_call_ex): blocking mode waits without a deadline, timeout mode with
// one, non-blocking mode and MSG_DONTWAIT in blocking mode do not wait.
// In timeout mode CPython polls before every call, so MSG_DONTWAIT there
// still waits.
type callMode struct {
	wait, timed, emu bool
	kt               bool // the deadline is SO_RCVTIMEO's or SO_SNDTIMEO's (kerneltimeo_linux.go)
	look             bool // the fd's number is out: read the kernel's state at EAGAIN (outside_linux.go)
	deadline         int64
}

// modeOf is the mode of a call starting now on h.
func (s *Socket) modeOf(h *handle, userNB bool, o *callOpts, read bool) callMode {
	if o != nil && o.adapter {
		m := callMode{wait: !userNB, emu: !userNB && !h.nbFast()}
		if m.wait {
			m.timed, m.deadline = o.adapterTimed(read)
		}
		return m
	}
	ns := s.timeout.Load()
	if ns > 0 {
		return callMode{wait: true, timed: true, deadline: monoAfter(ns)}
	}
	// Blocking and non-blocking mode make the kernel's own call in
	// CPython, which reads the kernel's flag and options when it would
	// wait: where they may have been changed behind pysock's back, the
	// call reads them there too (sendfile waits whatever they say).
	untimed := o != nil && o.untimed
	look := !userNB && !untimed && h.desc.out.Load()
	if ns < 0 && !userNB && !h.nbFast() {
		if kernelTimeouts.Load() && !untimed {
			m := kernelTimedMode(h, read)
			m.look = look
			return m
		}
		return callMode{wait: true, emu: true, look: look}
	}
	// Non-blocking mode, MSG_DONTWAIT, or an adopted fd whose kernel flag
	// is O_NONBLOCK in blocking mode (CPython's blocking call then gives
	// EAGAIN too).
	return callMode{look: look}
}

// pastDeadline reports whether an adapter call's deadline has already
// passed: such a call fails before trying, as Go's net does.
func pastDeadline(o *callOpts, read bool) bool {
	if o == nil || !o.adapter {
		return false
	}
	t := o.adapterDeadline(read)
	return !t.IsZero() && !time.Now().Before(t)
}

// begin starts a call on side sd: it takes the side's lock within the
// call's own deadline (a call's timeout, context and Go deadline run from
// its start, including the time it waits for another goroutine's call on
// the same side) and prepares the state the call runs with. That is the
// side's own state, or, for a call that does not wait while another
// goroutine holds the lock, a private one: a non-blocking call never waits
// for a blocked one, as in CPython, where both would be in the kernel.
// end releases what begin took.
func (s *Socket) begin(sd *side, h *handle, userNB bool, o *callOpts) (*ioState, error) {
	read := sd == &s.r
	if pastDeadline(o, read) {
		return nil, errTimeout()
	}
	m := s.modeOf(h, userNB, o, read)
	st := &sd.st
	if !sd.mu.TryLock() {
		if m.look {
			m.lookBehind(h)
		}
		if !m.wait {
			st = new(ioState)
		} else if err := h.lockSlow(&sd.mu, &m, o, read); err != nil {
			if m.kt && isDeadline(err) {
				err = errKernelTimeout()
			}
			return nil, err
		}
	}
	st.h = h
	st.wait, st.timed, st.emu, st.deadline = m.wait, m.timed, m.emu, m.deadline
	st.look = m.look && st == &sd.st // a private state never waits (see lookOutside)
	if st.look && (st.x == nil || st.x.look == nil) {
		st.prepareLook()
	}
	if st.timed {
		dlStart(st) // the deadline heap's goroutine, before any callback needs it
	}
	st.disarm() // a deadline a previous call left (it should not) never applies to this one
	st.n, st.errno = 0, 0
	return st, nil
}

// end releases the state begin returned.
func (s *Socket) end(sd *side, st *ioState) {
	st.buf = nil
	if st.x != nil {
		st.x.msg, st.x.iov = nil, nil
	}
	if st == &sd.st {
		h := st.h // st is the next call's once unlocked
		sd.mu.Unlock()
		h.wakeWaiters()
	}
}

// pollIO runs the side's operation through the poller, parking on EAGAIN.
// A receive's spin (spin.go) reads the clock and the scheduler here,
// between two calls of the callback, rather than inside it: this frame is
// shallow, and they need stack.
func (sd *side) pollIO(st *ioState) error {
	var err error
	if st.isRead() {
		st.h.spin.begin(st.wait)
		for {
			err = st.h.rc.Read(sd.fn)
			e := st.errno
			if e != errnoSpin && e != errnoLook {
				break
			}
			st.errno = 0
			if err != nil {
				break
			}
			if e == errnoLook {
				st.lookOutside()
				st.h.spin.park = true // the spin, if any, is over
			} else {
				st.h.spin.retry()
			}
		}
		st.h.spin.done()
	} else {
		err = st.h.rc.Write(sd.fn)
		if err != nil || st.errno == errnoLook {
			err = sd.writeAgain(st, err)
		}
	}
	st.disarm()
	return err
}

// writeAgain gives a write its second chances: the first EAGAIN of a call
// that reads the kernel's state there (lookOutside), and for a write that
// the poller ended with an error, the past deadline of a shutdown's
// wake-up (wakeWriters), an AF_UNIX stream send whose SO_SNDTIMEO time
// restarted after progress (deadlineMoved) or that finds room when it runs
// out (roomAtExpiry), and a sendall that made progress in its SO_SNDTIMEO
// time (sendAllGoesOn). It returns the error of the last attempt.
//
//go:noinline
func (sd *side) writeAgain(st *ioState, err error) error {
	if st.errno == errnoLook {
		st.errno = 0
		if err != nil {
			return err
		}
		st.lookOutside()
		if err = st.h.rc.Write(sd.fn); err == nil {
			return nil
		}
		if st.n > 0 && !st.gathers() && (st.h.closed.Load() || errors.Is(err, os.ErrClosed)) {
			// A part was sent at once (doWrite), and a Close came before
			// the call could go on: the call ends with the part, as the
			// kernel's non-blocking call did. (A call that went on, as a
			// blocking one, ends as a blocking call closed meanwhile:
			// below.)
			return nil
		}
	}
	for mark, looked := 0, int64(0); ; {
		woken := st.errno == errnoParked && !st.adapter && st.unpark()
		if !isDeadline(err) {
			return err
		}
		if !woken && !st.deadlineMoved() && !st.roomAtExpiry(&looked) {
			if !st.sendAllGoesOn(mark) {
				return err
			}
			mark = st.n
		}
		err = st.h.rc.Write(sd.fn)
		if err == nil {
			return nil
		}
	}
}

// run runs st's operation and returns Python's exception for its result:
// through the poller (parking on EAGAIN) for the side's own state, in one
// Control call for a private state, which never waits.
func (s *Socket) run(sd *side, st *ioState, o *callOpts) error {
	var err error
	st.lookWaitAll()
	if st == &sd.st && o == nil {
		// The common call, kept shallow: a goroutine parked here holds
		// its stack, and every byte of this frame and the ones above the
		// poller's counts towards the 2 KiB a goroutine starts with
		// (TestParkedStackSize). So the other cases, and the result, are
		// calls of their own.
		err = sd.pollIO(st)
	} else {
		err = sd.runOther(st, o)
	}
	return st.result(o, err)
}

// runOther runs a call that does not wait (st is not the side's state: a
// non-blocking call made while another waits) or one with a context or a
// net.Conn deadline.
//
//go:noinline
func (sd *side) runOther(st *ioState, o *callOpts) error {
	if st != &sd.st {
		return st.h.rc.Control(func(fd uintptr) { st.do(fd) })
	}
	return withCtx(o, st, func() error { return sd.pollIO(st) })
}

// result is Python's exception for a call's outcome: err from the poller,
// st.errno from the syscall.
//
//go:noinline
func (st *ioState) result(o *callOpts, err error) error {
	h := st.h
	if err != nil && st.n == 0 && st.errno == 0 && st.unixGlues() && st.unixGlueAtEnd() {
		err = nil // what the kernel's call had glued when it ended (waitall_unix_linux.go)
	}
	if st.waitAll() && st.n > 0 && (err != nil || st.errno != 0) {
		// MSG_WAITALL cut short (a context, Close, an error): the
		// kernel's blocking call returns the part it has.
		return nil
	}
	switch {
	case err != nil && o != nil && o.ctx != nil && err == o.ctx.Err():
		return err // the context ended the call
	case err != nil && st.emu && st.timed && (o == nil || !o.adapter) && isDeadline(err):
		// ktimeo, after the call (a net.Conn call's flag is cleared by now)
		return st.kernelTimedOut()
	case err != nil:
		return h.mapPollError(err)
	case st.errno == errnoGrow:
		return errGrow // the caller makes the buffer, and runs the call again
	case st.errno == errnoTimedOut:
		return errTimeout()
	case st.errno == uint8(syscall.EBADF) && h.closed.Load():
		return errClosed()
	case st.errno != 0:
		return pyerr.FromErrno(st.errnoOf())
	}
	return nil
}

// errTimeout is socket.timeout: TimeoutError('timed out').
func errTimeout() error { return pyerr.NewSocketTimeout() }
