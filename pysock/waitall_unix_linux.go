package pysock

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A blocking-mode receive with MSG_WAITALL on an AF_UNIX stream socket.
//
// The kernel's blocking call (unix_stream_read_generic) glues segments
// until it has the whole buffer, but stops early where a segment ends that
// carried file descriptors (SCM_RIGHTS), and, with SO_PASSCRED, before a
// segment from another writer (another pid, uid or gid): it then returns
// what it has, and with recvmsg one set of credentials. A receive that
// gathers its buffer over several non-blocking calls cannot see those
// stops before it has consumed past them. So this receive consumes
// nothing until a single call would return what the kernel's blocking
// call returns: it peeks with MSG_WAITALL (the kernel glues a peek by the
// same rules), and calls for real once the peek has the whole buffer,
// stopped short of what is queued (a stop), or the socket has reached its
// end or an error. Otherwise it waits, for the next segment.

// The outcomes of unixGlue.
const (
	glueWait   = iota // not yet: wait for more
	glueNow           // one call now returns what the kernel's would
	glueGather        // a peek cannot be trusted (SO_PEEK_OFF, SO_PASSSEC): gather as other streams do
	glueErr           // the peek met the socket's error, the call's result (st.errno)
)

// unixGlues reports whether st is such a receive.
func (st *ioState) unixGlues() bool { return st.h.unixStream() && st.waitAll() }

// unixGlue peeks at what a blocking MSG_WAITALL receive would get now.
// Its bytes land in the caller's buffer, which the real call overwrites
// with the same ones.
//
//go:noinline
func (st *ioState) unixGlue(fd uintptr) int {
	if off, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_PEEK_OFF); err == nil && off >= 0 {
		return glueGather // a peek would move the peek offset
	}
	if sec, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_PASSSEC); err == nil && sec != 0 {
		return glueGather // a security label would take the room below
	}
	passcred, _ := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_PASSCRED)
	// The control buffer has room for the credentials, if they come, and
	// for nothing more: descriptors in what the peek glued then set
	// MSG_CTRUNC (the kernel lets go of the copies a peek makes; none is
	// installed here).
	var ctrl [32]byte // CMSG_SPACE(sizeof(struct ucred))
	var m unix.Msghdr
	var iov unix.Iovec
	if st.op == opRecvMsg {
		m = *st.x.msg
		m.Name, m.Namelen = nil, 0
	} else {
		if len(st.buf) > 0 {
			iov.Base = &st.buf[0]
		}
		iov.SetLen(len(st.buf))
		m.Iov = &iov
		m.SetIovlen(1)
	}
	m.Control = nil
	m.SetControllen(0)
	if passcred != 0 {
		m.Control = &ctrl[0]
		m.SetControllen(len(ctrl))
	}
	fl := uintptr(st.flags | unix.MSG_PEEK | unix.MSG_DONTWAIT)
	n, _, e := unix.RawSyscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&m)), fl)
	switch {
	case e == syscall.EAGAIN:
		return st.unixEnded(fd) // nothing queued
	case e != 0:
		// The socket's error, which the peek has consumed as the
		// kernel's call would have: it is the result.
		st.errno = uint8(e)
		return glueErr
	case n == 0, int(n) >= st.want(), m.Flags&unix.MSG_CTRUNC != 0:
		return glueNow // the end, the whole buffer, or descriptors, which end the kernel's call
	}
	var queued int32
	if _, _, e := unix.RawSyscall(unix.SYS_IOCTL, fd, unix.SIOCINQ, uintptr(unsafe.Pointer(&queued))); e != 0 {
		return glueNow
	}
	if int(n) < int(queued) && !(int(n)+1 == int(queued) && atOOBMark(fd)) {
		// A stop before the end of what is queued: another writer's
		// segment, or the out-of-band mark after some bytes. (An
		// out-of-band byte at the head is counted by SIOCINQ and
		// skipped by the kernel's call, as by the peek.)
		return glueNow
	}
	return st.unixEnded(fd)
}

// atOOBMark reports SIOCATMARK: the head of the queue is the out-of-band
// byte.
func atOOBMark(fd uintptr) bool {
	var mark int32
	_, _, e := unix.RawSyscall(unix.SYS_IOCTL, fd, unix.SIOCATMARK, uintptr(unsafe.Pointer(&mark)))
	return e == 0 && mark != 0
}

// unixEnded is glueNow once the socket can give no more: shut down for
// reading, the peer gone, or an error; else glueWait.
func (st *ioState) unixEnded(fd uintptr) int {
	if pollRevents(fd, unix.POLLRDHUP)&(unix.POLLRDHUP|unix.POLLHUP|unix.POLLERR) != 0 {
		return glueNow
	}
	return glueWait
}

// unixGlueAtEnd is the last call of such a receive that ends early: its
// SO_RCVTIMEO time ran out, or its context ended. The kernel's call, cut
// short by its timeout or by a signal, returns the part it has glued by
// then. ok reports that it got something (or an error of its own), which
// is then the call's result.
//
//go:noinline
func (st *ioState) unixGlueAtEnd() (ok bool) {
	err := st.h.rc.Control(func(fd uintptr) {
		n, e := st.readOnce(fd, false) // glued by the kernel's rules
		if e == syscall.EAGAIN {
			return // nothing queued: the call's end stands
		}
		if e != 0 {
			st.errno = uint8(e)
		} else {
			st.n = int(n)
		}
		ok = true
	})
	return err == nil && ok
}
