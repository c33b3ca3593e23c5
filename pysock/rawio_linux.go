package pysock

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The RawConn callbacks: each makes one attempt of the side's operation
// (retrying EINTR) and reports whether the call is done or must park on
// the poller. They are where the emulation of CPython's waiting calls
// lives:
//
//   - Blocking mode (st.emu): the result must be what the kernel's blocking
//     call gives. The data calls carry MSG_DONTWAIT and park on EAGAIN;
//     where MSG_DONTWAIT changes more than the waiting, the callbacks make
//     up the difference: a blocking send on a stream socket sends
//     everything (a partial count only after an error), MSG_WAITALL waits
//     for the whole buffer, a datagram socket shut down for reading
//     returns b'' instead of EAGAIN, accept on a socket that is not
//     listening fails at once.
//   - Timeout mode (st.timed): CPython polls before every call, so a call
//     that fails at once, or moves zero bytes, while the socket is not
//     ready waits for readiness (or the timeout) as CPython's does.
//
// The data calls (recvfrom, recvmsg, sendto, sendmsg) never sleep in the
// kernel, so they go through RawSyscall, which skips the runtime's
// entersyscall/exitsyscall. With Syscall, a call that outlasts a sysmon
// tick can have its P handed to another thread, which wakes only to find
// nothing to do: measured on the 10 000-connection selectors server, futex
// calls fell from 45 000 to 2 200 and CPU per request by 10 %. accept4,
// connect and sendfile have no MSG_DONTWAIT and stay on Syscall; they are
// bracketed by enterKernel/exitKernel, since a sibling sharing the file
// description may have cleared O_NONBLOCK, and then they can sleep.

// do is a side's RawConn callback.
func (st *ioState) do(fd uintptr) bool {
	fd = st.h.sysfd(fd)
	if st.isRead() {
		return st.doRead(fd)
	}
	return st.doWrite(fd)
}

// waitAll: MSG_WAITALL in blocking mode on a stream socket, where the
// kernel's call waits for the whole buffer.
func (st *ioState) waitAll() bool {
	return st.emu && st.h.stream && st.flags&unix.MSG_WAITALL != 0 && (st.op == opRecv || st.op == opRecvFrom || st.op == opRecvMsg)
}

// gathers: a write that spans syscalls (sendall, and a blocking send on a
// stream socket, which the kernel completes).
func (st *ioState) gathers() bool {
	return st.op == opSendAll || (st.emu && st.h.stream && (st.op == opSend || st.op == opSendTo || st.op == opSendMsg))
}

// want is how many bytes the call asks to move.
func (st *ioState) want() int {
	switch st.op {
	case opRecvMsg, opSendMsg:
		return st.x.total
	case opRecvNew, opRecvFromNew:
		return st.n // the limit, until the call is done
	}
	return len(st.buf)
}

func (st *ioState) doRead(fd uintptr) bool {
	for {
		gather := st.waitAll()
		if gather && st.h.unixStream() {
			// One call, once it returns what the kernel's would
			// (waitall_unix_linux.go); at once if the call does not
			// wait (a flag set through the number made it
			// non-blocking).
			g := glueNow
			if st.wait {
				g = st.unixGlue(fd)
			}
			switch g {
			case glueWait:
				if st.look {
					st.errno = errnoLook // the kernel's call would wait here
					return true
				}
				st.arm()
				return false
			case glueNow:
				gather = false
			case glueErr:
				return true
			}
		}
		if gather && st.n > 0 && pollRevents(fd, 0)&unix.POLLERR != 0 {
			// Part of the data, then an error: the kernel returns the
			// part and leaves the error for the next call.
			return true
		}
		n, e := st.readOnce(fd, gather)
		if e == syscall.EINTR {
			continue
		}
		if e != syscall.EAGAIN && st.wait {
			st.h.spin.found()
		}
		if gather {
			if e == 0 {
				if st.flags&unix.MSG_PEEK != 0 {
					st.n = int(n)
				} else {
					st.n += int(n)
					st.advance(int(n))
				}
				if n == 0 || st.n >= st.want() || st.gotControl() ||
					pollRevents(fd, unix.POLLRDHUP)&(unix.POLLRDHUP|unix.POLLHUP|unix.POLLERR) != 0 {
					return true
				}
				if st.look {
					st.errno = errnoLook // the kernel's call would wait here
					return true
				}
				st.arm()
				return false
			}
			if st.n > 0 && e != syscall.EAGAIN {
				return true
			}
		}
		if e == syscall.EAGAIN && st.wait && !gather && st.op != opAccept && st.h.spin.again() {
			st.errno = errnoSpin // pollIO decides whether to retry, then calls again
			return true
		}
		if e == syscall.EAGAIN && st.look {
			// Where the call would park (after its spin: data the spin
			// finds is data that came a moment earlier).
			st.errno = errnoLook // pollIO reads the kernel's state, then calls again
			return true
		}
		if e == syscall.EAGAIN && st.wait {
			if st.emu && !st.h.stream && st.op != opAccept && pollRevents(fd, unix.POLLRDHUP)&(unix.POLLRDHUP|unix.POLLHUP) != 0 {
				// A datagram socket shut down for reading: the blocking
				// call returns 0 where MSG_DONTWAIT says EAGAIN.
				st.n = 0
				return true
			}
			st.arm()
			return false
		}
		if st.timed && !st.ktimeo() && st.notReady(fd, e, n, unix.POLLIN) {
			st.arm()
			return false
		}
		if e != 0 {
			st.errno = uint8(e)
			return true
		}
		if !gather {
			st.n = int(n)
		}
		return true
	}
}

// notReady applies CPython's poll-then-call rule to a timeout-mode result
// that need not have come from a ready socket: a failure the socket's
// state gives at once (not listening, not connected…), or a call that
// moved nothing because nothing was asked. CPython would not have made the
// call before poll reported the socket ready. A pending socket error
// (ECONNREFUSED, ECONNRESET…) is left alone: poll reports it as ready,
// and the call has just consumed it.
func (st *ioState) notReady(fd uintptr, e syscall.Errno, n uintptr, events int16) bool {
	switch e {
	case 0:
		if n != 0 || st.want() != 0 || !st.h.stream {
			// Something moved, or a datagram did: a datagram socket's
			// call of 0 bytes consumes or sends one, so there was one.
			return false
		}
	case syscall.ENOTCONN, syscall.EINVAL, syscall.EOPNOTSUPP, syscall.EPIPE, syscall.EISCONN, syscall.EDESTADDRREQ:
	default:
		return false
	}
	if st.op == opAccept || st.op == opConnectWait || st.op == opConnectFinish {
		return false // accept polls first itself; connect calls first in CPython too
	}
	return !pollNow(fd, events)
}

// readOnce is one attempt of a read-side operation.
//
// It is not nosplit, though its stack check is the deepest of a parked
// blocking-mode receive's (TestParkedStackSize): its nosplit chain reaches
// the runtime's own (entersyscall, for accept4), and without optimization
// (-gcflags=all=-N -l, as debuggers build) that chain overflows the guard
// area and the link fails.
func (st *ioState) readOnce(fd uintptr, gather bool) (uintptr, syscall.Errno) {
	fl := uintptr(st.flags | unix.MSG_DONTWAIT)
	switch st.op {
	case opRecv, opRecvFrom:
		b := st.buf
		if gather && st.flags&unix.MSG_PEEK == 0 {
			b = b[st.n:]
		}
		if st.op == opRecvFrom {
			return recvfrom(fd, b, fl, st.x)
		}
		// recv and recv_into, the hot path: the syscall from this frame,
		// one frame less under a parked goroutine's 2 KiB of stack
		// (TestParkedStackSize).
		n, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), fl, 0, 0)
		return n, e
	case opRecvNew, opRecvFromNew:
		// recv(n) and recvfrom(n) (recvsize.go), with no frame between:
		// this is the bottom of a parked recv(n)'s chain.
		if st.n <= scratchSize {
			return st.recvScratch(fd, fl, st.n)
		}
		if n, e, done := st.recvLarge(fd, fl); done {
			return n, e
		}
		// Little queued: the scratch buffer does, this time (st.n, the
		// limit, stays for the next attempt, if this one must wait).
		return st.recvScratch(fd, fl, scratchSize)
	case opRecvMsg:
		x := st.x
		x.msg.SetControllen(x.ctrlCap)
		x.msg.Namelen = x.nameCap
		n, _, e := unix.RawSyscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(x.msg)), fl)
		return n, e
	case opAccept:
		// accept4 has no MSG_DONTWAIT: when the call may wait on a
		// blocking flag, look before leaping so that the thread never
		// sleeps in the kernel. (Before the record is pinned the flag is
		// set, and accept4 itself says EAGAIN.) The kernel's blocking
		// accept fails at once on a socket that is not listening (EINVAL,
		// or EOPNOTSUPP for a datagram socket); timeout mode polls first,
		// as CPython, and so waits on those.
		if st.wait && st.emu {
			if n, e, done := st.acceptUnpinned(fd); done {
				return n, e
			}
		}
		if st.wait && !pollNow(fd, unix.POLLIN) && !(st.emu && !listening(fd)) {
			return 0, syscall.EAGAIN
		}
		return st.accept4(fd)
	}
	return 0, syscall.EINVAL
}

// acceptUnpinned is a blocking-mode accept4 on a description whose record
// is not pinned, so that its flag is set (fdesc.pinned): no poll first.
// The record's lock keeps a pin from clearing the flag during the call.
// done is false once the record is pinned.
func (st *ioState) acceptUnpinned(fd uintptr) (n uintptr, e syscall.Errno, done bool) {
	d := st.h.desc
	if d.pinned.Load() {
		return 0, 0, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pinned.Load() {
		return 0, 0, false
	}
	n, e = st.accept4(fd)
	return n, e, true
}

// accept4 is one accept4(2), the new fd O_NONBLOCK (see freshHandle).
func (st *ioState) accept4(fd uintptr) (uintptr, syscall.Errno) {
	if !st.h.enterKernel() {
		return 0, syscall.EBADF
	}
	sa := &st.x.sa
	sa.len = unix.SizeofSockaddrAny
	n, _, e := unix.Syscall6(unix.SYS_ACCEPT4, fd, uintptr(sa.ptr()), uintptr(unsafe.Pointer(&sa.len)),
		unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0, 0)
	st.h.exitKernel()
	return n, e
}

// recvfrom is one recvfrom(2) into b, with x's sockaddr buffer for the
// sender's address when x is not nil. (Each pointer is converted to
// uintptr in the call expression itself, as package unsafe requires.)
// Nosplit: it is the bottom of a parked receive's call chain in the
// rarer shapes (recvfrom, a large recv), and its stack check was what
// doubled the stack of a goroutine parked in a large recv
// (TestParkedStackSize's recv-large mode).
//
//go:nosplit
func recvfrom(fd uintptr, b []byte, fl uintptr, x *ioExtra) (uintptr, syscall.Errno) {
	if x == nil {
		n, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), fl, 0, 0)
		return n, e
	}
	x.sa.len = unix.SizeofSockaddrAny
	n, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), fl,
		uintptr(x.sa.ptr()), uintptr(unsafe.Pointer(&x.sa.len)))
	return n, e
}

// listening reports SO_ACCEPTCONN (true if it cannot be read: then the
// kernel's accept decides).
func listening(fd uintptr) bool {
	v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
	return err != nil || v != 0
}

func (st *ioState) doWrite(fd uintptr) bool {
	woke := st.errno == errnoParked
	st.errno = 0
	if woke && !st.adapter {
		st.unpark()
	}
	progressed := false // bytes went out in this callback
	for {
		gather := st.gathers()
		if !gather && st.n > 0 && st.op != opSendFile {
			return true // a part sent, and the look found the flag set (below)
		}
		if gather && st.op != opSendAll && st.n > 0 && pollRevents(fd, 0)&unix.POLLHUP != 0 {
			// Part sent, then the connection ended: the kernel returns the
			// part and leaves the error for the next call. POLLERR alone
			// is not taken for that: a TCP socket's error queue (TX
			// timestamps, zerocopy completions) raises it while the
			// kernel's blocking send carries on. A socket error without a
			// hang-up (an ICMP error with IP_RECVERR) fails the next
			// attempt, which then returns the part below.
			return true
		}
		shutdowns := st.h.shutdownCount()
		n, e := st.writeOnce(fd, gather)
		if e == syscall.EINTR {
			continue
		}
		if e == syscall.EAGAIN && st.look {
			st.errno = errnoLook // pollIO reads the kernel's state, then calls again
			return true
		}
		if e == syscall.EAGAIN && st.wait {
			if progressed && st.ktimeo() && st.h.peerShut && st.h.stream {
				st.restartKernelTimeout(fd)
			}
			st.arm()
			if st.emu {
				// After arm: a wake-up must not be overwritten. A shutdown
				// since the attempt, before the listing, is not lost:
				// the call tries again.
				if !st.adapter && !st.parkWrite(fd, shutdowns) {
					continue
				}
				st.errno = errnoParked
			}
			return false
		}
		if st.timed && !st.ktimeo() && st.notReady(fd, e, n, unix.POLLOUT) {
			st.arm()
			return false
		}
		if e != 0 {
			if gather && st.op != opSendAll && st.n > 0 {
				return true
			}
			if woke && e == syscall.EPIPE && st.n == 0 {
				// The kernel's blocking send, woken in its wait, looks at
				// the socket's pending error before the shutdown: an
				// AF_UNIX peer that closed with data unread gives
				// ECONNRESET there, EPIPE to a send that did not wait.
				e = pendingError(fd, e)
			}
			st.errno = uint8(e)
			return true
		}
		if !gather {
			st.n = int(n)
			if st.look && st.h.stream && st.n < st.want() {
				// A part sent at once: the kernel's call on a flag
				// cleared through the number would go on sending.
				// pollIO reads the flag; the next call goes on from the
				// part (gathering) or returns it.
				st.advance(st.n)
				st.errno = errnoLook
			}
			return true
		}
		st.n += int(n)
		st.advance(int(n))
		progressed = progressed || n > 0
		if st.n >= st.want() {
			return true
		}
		// sendall's timeout bounds the whole call, checked between chunks
		// as CPython's sock_sendall does. A net.Conn Write's Go deadline is
		// the poller's alone, as in Go's net (SetWriteDeadline may move it
		// while the call runs; st.deadline is the one it started with).
		if st.timed && !st.adapter && !st.ktimeo() && monoNow() >= st.deadline {
			st.errno = errnoTimedOut
			return true
		}
	}
}

// writeOnce is one attempt of a write-side operation.
func (st *ioState) writeOnce(fd uintptr, gather bool) (uintptr, syscall.Errno) {
	fl := uintptr(st.flags | unix.MSG_DONTWAIT | unix.MSG_NOSIGNAL)
	switch st.op {
	case opSend, opSendAll, opSendTo:
		b := st.buf
		if gather {
			b = b[st.n:]
		}
		if st.op == opSendTo {
			sa := &st.x.sa
			n, _, e := unix.RawSyscall6(unix.SYS_SENDTO, fd, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), fl,
				uintptr(sa.ptr()), uintptr(sa.len))
			return n, e
		}
		n, _, e := unix.RawSyscall6(unix.SYS_SENDTO, fd, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), fl, 0, 0)
		return n, e
	case opSendMsg:
		n, _, e := unix.RawSyscall(unix.SYS_SENDMSG, fd, uintptr(unsafe.Pointer(st.x.msg)), fl)
		return n, e
	case opSendFile:
		return st.sendfileOnce(fd)
	case opConnectFinish:
		// Complete an in-progress connect with a second connect(2), once
		// the socket is writable (so the call cannot sleep, and Close
		// can wake the goroutine while it waits).
		if !pollNow(fd, unix.POLLOUT|unix.POLLERR) {
			return 0, syscall.EAGAIN
		}
		if !st.h.enterKernel() {
			return 0, syscall.EBADF
		}
		_, _, e := unix.Syscall(unix.SYS_CONNECT, fd, uintptr(st.x.sa.ptr()), uintptr(st.x.sa.len))
		st.h.exitKernel()
		if e == syscall.EALREADY || e == syscall.EINPROGRESS {
			e = syscall.EAGAIN
		}
		return 0, e
	case opConnectWait:
		if !pollNow(fd, unix.POLLOUT|unix.POLLERR) {
			return 0, syscall.EAGAIN
		}
		v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR)
		switch {
		case err != nil:
			return 0, errnoOf(err)
		case v != 0 && syscall.Errno(v) != syscall.EISCONN:
			return 0, syscall.Errno(v)
		}
		return 0, 0
	}
	return 0, syscall.EINVAL
}

// sendfileOnce is one sendfile(2). It has no MSG_DONTWAIT: in blocking
// mode the kernel flag is clear and the call would sleep until every byte
// is sent, so O_NONBLOCK is set for this one syscall (as connect does);
// the caller's loop then sends the rest after the poller reports room,
// which adds up to what the blocking call sends.
func (st *ioState) sendfileOnce(fd uintptr) (uintptr, syscall.Errno) {
	h := st.h
	if !h.enterKernel() {
		return 0, syscall.EBADF
	}
	defer h.exitKernel()
	if st.emu {
		d := h.desc
		d.mu.Lock()
		defer d.mu.Unlock()
		if !d.nb.Load() && d.pinned.Load() { // else the flag is set (see fdesc.pinned)
			set, err := nonblockOnce(int(fd))
			if err != nil {
				return 0, errnoOf(err)
			}
			if set {
				defer setFIONBIO(int(fd), false)
			}
		}
	}
	x := st.x
	n, _, e := unix.Syscall6(unix.SYS_SENDFILE, fd, uintptr(x.fileFd), uintptr(unsafe.Pointer(&x.offset)), uintptr(x.count), 0, 0)
	return n, e
}

// advance moves a stream call that spans syscalls past the k bytes moved:
// recvmsg/sendmsg drop the filled iovecs; the others slice st.buf by st.n.
func (st *ioState) advance(k int) {
	if st.op != opRecvMsg && st.op != opSendMsg {
		return
	}
	x := st.x
	iov := x.iov
	for len(iov) > 0 && k >= int(iov[0].Len) {
		k -= int(iov[0].Len)
		iov = iov[1:]
	}
	if len(iov) > 0 && k > 0 {
		iov[0].Base = (*byte)(unsafe.Add(unsafe.Pointer(iov[0].Base), k))
		iov[0].SetLen(int(iov[0].Len) - k)
	}
	x.iov = iov
	m := x.msg
	if len(iov) > 0 {
		m.Iov = &iov[0]
	} else {
		m.Iov = nil
	}
	m.SetIovlen(len(iov))
	if st.op == opSendMsg {
		// sendmsg's ancillary data and address go with the first
		// syscall only.
		m.Control, m.Name, m.Namelen = nil, nil, 0
		m.SetControllen(0)
	}
}

// gotControl reports a recvmsg that received ancillary data: the kernel's
// blocking MSG_WAITALL call stops there too (a unix stream segment that
// carries file descriptors ends the read), so the control buffer is
// written at most once.
func (st *ioState) gotControl() bool {
	return st.op == opRecvMsg && st.x.msg.Controllen > 0
}

// pendingError is fd's pending socket error (SO_ERROR, which reading
// clears), or e if there is none.
//
//go:noinline
func pendingError(fd uintptr, e syscall.Errno) syscall.Errno {
	if v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR); err == nil && v != 0 {
		return syscall.Errno(v)
	}
	return e
}

// pollRevents polls fd once without waiting and returns its revents.
func pollRevents(fd uintptr, events int16) int16 {
	pfd := [1]unix.PollFd{{Fd: int32(fd), Events: events}}
	for {
		n, err := unix.Poll(pfd[:], 0)
		if err == syscall.EINTR {
			continue
		}
		if n <= 0 {
			return 0
		}
		return pfd[0].Revents
	}
}

// pollNow reports whether fd has any of events (or an error or hang-up)
// now.
func pollNow(fd uintptr, events int16) bool { return pollRevents(fd, events) != 0 }

// errnoOf is err's errno (EIO for an error that has none).
func errnoOf(err error) syscall.Errno {
	if en, ok := err.(syscall.Errno); ok {
		return en
	}
	return syscall.EIO
}
