package pysock

import (
	"context"
	"errors"
	"os"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// Connect is socket.connect(address). Blocking mode waits for the
// connection on the runtime poller and reports the kernel's result as a
// blocking connect(2) would; non-blocking mode returns BlockingIOError(115)
// while in progress; timeout mode waits at most the timeout, then
// TimeoutError('timed out').
func (s *Socket) Connect(address any) error {
	s = s.orClosed()
	return s.connectOpts(address, nil)
}

// ConnectContext is Connect that ctx can cancel while the connection is
// in progress (a refused or timed-out connect still reports as Connect
// does).
func (s *Socket) ConnectContext(ctx context.Context, address any) error {
	s = s.orClosed()
	return s.connectOpts(address, &callOpts{ctx: ctx})
}

func (s *Socket) connectOpts(address any, o *callOpts) error {
	errno, timedOut, err := s.connect(address, "connect", o)
	switch {
	case err != nil:
		return err
	case timedOut:
		return pyerr.NewSocketTimeout()
	case errno == syscall.EBADF:
		return errClosed()
	case errno != 0:
		return pyerr.FromErrno(errno)
	}
	return nil
}

// ConnectEx is socket.connect_ex(address): like Connect, but a failure of
// the connect itself is returned as the errno (0 on success, 115, 111, and
// 11 when a timeout-mode connect times out). Address errors (TypeError,
// OverflowError, gaierror) are still returned as errors, as in CPython.
func (s *Socket) ConnectEx(address any) (int, error) {
	s = s.orClosed()
	errno, timedOut, err := s.connect(address, "connect_ex", nil)
	switch {
	case err != nil:
		return 0, err
	case timedOut:
		return int(syscall.EWOULDBLOCK), nil
	}
	return int(errno), nil
}

// connect returns the errno of a failed connect (EBADF for a closed
// socket), whether a timeout-mode connect timed out, or an error for what
// CPython raises even from connect_ex (a bad address).
func (s *Socket) connect(address any, caller string, o *callOpts) (errno syscall.Errno, timedOut bool, err error) {
	var ra rawAddr
	if err := encodeAddr(s, int(s.family), address, caller, &ra); err != nil {
		return 0, false, err
	}
	h := s.h.Load()
	if h == nil {
		return syscall.EBADF, false, nil
	}
	ns := s.timeout.Load()
	var e syscall.Errno
	// connect(2) may sleep in the kernel (a sibling may have cleared the
	// shared O_NONBLOCK; the AF_UNIX fallback below sleeps by design).
	connectOnce := func(fd int) error {
		if !h.enterKernel() {
			return syscall.EBADF
		}
		defer h.exitKernel()
		for {
			_, _, e = unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(ra.ptr()), uintptr(ra.len))
			if e != syscall.EINTR {
				return nil
			}
		}
	}
	blockingEmulated := ns < 0 && !h.nbFast()
	outsideNB := false // the flag was set through the fd's number (outside_linux.go)
	if blockingEmulated {
		// connect(2) cannot be told MSG_DONTWAIT: start it with O_NONBLOCK
		// set for the one syscall, then finish it below with a second
		// connect(2), which leaves the kernel in the state a blocking
		// connect would have (a refused socket can connect again, a
		// connected one then reports EISCONN).
		d := h.desc
		d.mu.Lock()
		err = h.control(func(fd int) error {
			if !d.nb.Load() && d.pinned.Load() { // else the flag is set (see fdesc.pinned)
				set, err := nonblockOnce(fd)
				if err != nil {
					return err
				}
				if set {
					defer setFIONBIO(fd, false)
				} else {
					outsideNB = true
				}
			}
			return connectOnce(fd)
		})
		d.mu.Unlock()
	} else {
		err = h.control(connectOnce)
	}
	if err != nil {
		return closedErrno(err)
	}
	switch {
	case e == 0:
		return 0, false, nil
	case outsideNB:
		return e, false, nil // the kernel's call, on a non-blocking flag, does not wait
	case blockingEmulated && e == syscall.EAGAIN && s.family == unix.AF_UNIX:
		// A full AF_UNIX backlog: only a real blocking connect waits for
		// room (this one call occupies an OS thread while it waits; Close
		// does not wait for it). It needs the flag clear, as it is once
		// pinned (see fdesc.pinned).
		h.pin()
		if err := h.control(connectOnce); err != nil {
			return closedErrno(err)
		}
		return e, false, nil
	case (e == syscall.EINPROGRESS || e == syscall.EALREADY) && blockingEmulated && h.desc.noWaitS.Load():
		return e, false, nil // a negative SO_SNDTIMEO: the kernel's call does not wait
	case e == syscall.EALREADY && blockingEmulated:
		// The kernel's blocking connect waits for a connection already
		// in progress too (and reports its outcome).
	case e != syscall.EINPROGRESS || ns == 0 || (ns < 0 && !blockingEmulated):
		return e, false, nil
	}
	sd := &s.w
	st, err := s.begin(sd, h, false, o)
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, true, nil
		}
		return 0, false, err
	}
	defer s.end(sd, st)
	st.op = opConnectFinish // before the look: a write-side call reads SO_SNDTIMEO
	if st.look {
		// SO_SNDTIMEO may have been set through the number. (The flag,
		// which the look also reads, was read above: the wait is set
		// below whatever it says now.)
		st.lookOutside()
	}
	st.wait = true
	*st.sockaddr() = ra
	if st.timed && !st.ktimeo() {
		st.op = opConnectWait
	}
	var ctxErr error
	err = withCtx(o, st, func() error {
		e := h.rc.Write(sd.fn)
		if e != nil && st.errno == errnoParked && !st.adapter {
			st.unpark() // ended while parked: off the shutdown's list
		}
		st.disarm()
		if e != nil && o != nil && o.ctx != nil && o.ctx.Err() != nil {
			ctxErr = o.ctx.Err()
		}
		return e
	})
	if ctxErr != nil {
		return 0, false, ctxErr
	}
	if err != nil {
		if st.ktimeo() && isDeadline(err) {
			// SO_SNDTIMEO has passed: the kernel's call returns what
			// it found, and the connection goes on.
			return e, false, nil
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, true, nil
		}
		return closedErrno(err)
	}
	return st.errnoOf(), false, nil
}

// closedErrno maps a RawConn failure during connect to connect's results.
func closedErrno(err error) (syscall.Errno, bool, error) {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno, false, nil
	}
	return syscall.EBADF, false, nil
}
