package pysock

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// SO_RCVTIMEO and SO_SNDTIMEO in blocking mode.
//
// CPython's blocking calls sleep in the kernel, which bounds the sleep by
// the socket's SO_RCVTIMEO (receives, accept) or SO_SNDTIMEO (sends,
// connect). When that time has been waited:
//
//   - recv*, accept and a datagram send fail with EAGAIN (BlockingIOError);
//   - a stream send returns the part it sent, EAGAIN if none;
//   - connect fails with EINPROGRESS, or EALREADY if it found the
//     connection already in progress (which then goes on);
//   - sendall, a loop of sends in CPython, each with the whole time, fails
//     once one time passes without progress;
//   - sendfile never fails: Lib/socket.py waits for room and goes on.
//
// pysock's blocking mode waits on the poller, so the option is read when
// a call starts and its time becomes the call's deadline (see ktimeo),
// whose expiry gives those results. Timeout and non-blocking mode set
// O_NONBLOCK, on which the kernel ignores both options, as pysock does.
//
// Reading the option costs a syscall per call, so calls read it only once
// a socket of the process may have one (kernelTimeouts): after setsockopt
// of either option through pysock, or the adoption of an fd that has one.
// An option set behind pysock's back (x/sys/unix on Fileno()) before
// either happened is read where a call would wait (outside_linux.go); a
// negative time set that way is not seen, since the kernel keeps it as "do
// not wait" but reports it as 0, "no limit" (SetSockOpt records it:
// fdesc.noWaitR, noWaitS).

// kernelTimeouts is set once a socket may have SO_RCVTIMEO or SO_SNDTIMEO.
var kernelTimeouts atomic.Bool

// noteTimeval records a setsockopt of optname to buf that succeeded (only
// a buffer can set SO_RCVTIMEO or SO_SNDTIMEO): from now on calls read the
// options, and whether the time was negative is kept, since the kernel
// keeps it as "do not wait" (a blocking call then fails at once, as a
// non-blocking one) but reports it as 0, "no limit".
func (d *fdesc) noteTimeval(level, optname int, buf []byte) {
	if level != unix.SOL_SOCKET {
		return
	}
	switch optname {
	case unix.SO_RCVTIMEO_OLD, unix.SO_SNDTIMEO_OLD, unix.SO_RCVTIMEO_NEW, unix.SO_SNDTIMEO_NEW:
		kernelTimeouts.Store(true)
	default:
		return
	}
	if len(buf) < 8 {
		return
	}
	var sec int64
	if len(buf) >= 16 {
		sec = int64(binary.NativeEndian.Uint64(buf)) // struct timeval, __kernel_sock_timeval
	} else {
		sec = int64(int32(binary.NativeEndian.Uint32(buf))) // a 32-bit old_timeval
	}
	switch optname {
	case unix.SO_RCVTIMEO_OLD, unix.SO_RCVTIMEO_NEW:
		d.noWaitR.Store(sec < 0)
	case unix.SO_SNDTIMEO_OLD, unix.SO_SNDTIMEO_NEW:
		d.noWaitS.Store(sec < 0)
	}
}

// noteAdopted records an adopted fd's options.
func noteAdopted(fd int) {
	if kernelTimeouts.Load() {
		return
	}
	if kernelTimeout(fd, true) != 0 || kernelTimeout(fd, false) != 0 {
		kernelTimeouts.Store(true)
	}
}

// kernelTimeout is fd's SO_RCVTIMEO (read) or SO_SNDTIMEO in nanoseconds,
// 0 for none (or when it cannot be read). (unix.GetsockoptTimeval would
// allocate the Timeval for every call.)
func kernelTimeout(fd int, read bool) int64 {
	opt := unix.SO_SNDTIMEO
	if read {
		opt = unix.SO_RCVTIMEO
	}
	var tv unix.Timeval
	size := uint32(unsafe.Sizeof(tv))
	_, _, e := unix.RawSyscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, uintptr(opt),
		uintptr(unsafe.Pointer(&tv)), uintptr(unsafe.Pointer(&size)), 0)
	if e != 0 {
		return 0
	}
	if int64(tv.Sec) >= math.MaxInt64/int64(time.Second) {
		return math.MaxInt64 // the kernel keeps up to about 9e15 s; no wrap
	}
	return tv.Nano()
}

// kernelTimedMode is the mode of a blocking-mode call on h once
// kernelTimeouts is set: the option's time, if any, is its deadline.
//
//go:noinline
func kernelTimedMode(h *handle, read bool) callMode {
	m := callMode{wait: true, emu: true}
	ns := kernelTimeout(h.fd, read)
	switch {
	case ns > 0:
		m.timed, m.kt, m.deadline = true, true, monoAfter(ns)
	case read && h.desc.noWaitR.Load(), !read && h.desc.noWaitS.Load():
		return callMode{} // a negative time: the call does not wait
	}
	return m
}

// ktimeo reports a call in progress whose deadline is the option's: in
// blocking mode (emu) only a net.Conn call has a deadline of its own.
func (st *ioState) ktimeo() bool { return st.emu && st.timed && !st.adapter }

// errKernelTimeout is what a blocking call gives when the option's time
// has passed: BlockingIOError(11).
func errKernelTimeout() error { return pyerr.FromErrno(syscall.EAGAIN) }

// isDeadline reports a poller error of a passed deadline.
func isDeadline(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }

// kernelTimedOut is the result of a call whose kernel-timeout deadline has
// passed: a stream send's part, or EAGAIN.
func (st *ioState) kernelTimedOut() error {
	if st.n > 0 && st.gathers() && st.op != opSendAll {
		return nil
	}
	return errKernelTimeout()
}

// restartKernelTimeout starts the option's time afresh for an AF_UNIX
// stream send about to wait again after sending a part: the kernel's
// unix_stream_sendmsg waits for each skb with SO_SNDTIMEO read afresh
// (sock_alloc_send_pskb), so a send that keeps making progress never
// times out, where TCP's time bounds the whole call. The new deadline is
// only recorded here, in the callback: the heap keeps the old one, and
// when that passes, writeAgain finds the deadline moved and waits again
// (deadlineMoved).
//
//go:noinline
func (st *ioState) restartKernelTimeout(fd uintptr) {
	st.retime(kernelTimeout(int(st.h.sysfd(fd)), false))
}

// retime gives a send's next wait the option's time read afresh (ns, as
// kernelTimeout reads it), as the kernel reads SO_SNDTIMEO for each wait:
// a positive time runs from now; none (0) is no limit; a negative one
// (recorded by SetSockOpt, since the kernel reports it as 0) is no wait.
func (st *ioState) retime(ns int64) {
	switch {
	case ns > 0:
		st.timed, st.deadline = true, monoAfter(ns)
	case st.h.desc.noWaitS.Load():
		st.timed, st.deadline = true, monoNow()
	default:
		st.timed = false
	}
}

// deadlineMoved reports whether a blocking send woken by its deadline's
// passing still has time: restartKernelTimeout moved the deadline later,
// or removed it (the option was set to none meanwhile). The call is
// disarmed, to wait again.
func (st *ioState) deadlineMoved() bool {
	if !st.emu || st.adapter || st.timed && monoNow() >= st.deadline {
		return false
	}
	return st.disarmToGoOn()
}

// disarmToGoOn disarms a call whose deadline passed, so that it can wait
// again, unless a context cancelled it. The check and the disarm are one
// step under dlmu: a cancel is either seen (the call ends with it) or
// comes after (its past deadline is set after the disarm).
func (st *ioState) disarmToGoOn() bool {
	inHeap := dlRemove(st)
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	if st.cancel {
		return false
	}
	st.armed.Store(false)
	if !inHeap {
		st.setDeadline(time.Time{}) // the expiry's past deadline
	}
	return true
}

// roomAtExpiry is the last look of an AF_UNIX send whose SO_SNDTIMEO time
// has run out while it waited for room in its own send buffer. The
// kernel's sock_alloc_send_pskb, woken by the expiry, looks at the buffer
// once more and, when it is below SO_SNDBUF (a peer read too little to
// wake the writer: a quarter of the buffer), goes on: it sends, and a
// stream send waits for its next part with the option read afresh. So the
// call, if there is room, tries again with its time restarted (retime).
// TCP's tcp_sendmsg gives up at expiry, and a datagram waiting for a
// receiver's queue is not waiting for its own buffer. Once per deadline
// (looked: the deadline last looked at).
func (st *ioState) roomAtExpiry(looked *int64) bool {
	h := st.h
	if !st.ktimeo() || !(h.peerShut || h.unixDgram && h.ownWait) || *looked == st.deadline {
		return false
	}
	*looked = st.deadline
	room, ns := false, int64(0)
	h.control(func(fd int) error {
		if !sendBufferFull(fd) {
			room, ns = true, kernelTimeout(fd, false)
		}
		return nil
	})
	if !room || !st.disarmToGoOn() {
		return false // no room: the call ends, as the kernel's
	}
	st.retime(ns)
	return true
}

// sendAllGoesOn reports whether a sendall whose kernel-timeout deadline
// has passed goes on, and then starts its next time. CPython's sendall is
// a loop of the kernel's timed sends: after progress, the send that timed
// out returned its part, and sendall made another with the option's time
// read afresh. mark is what had been sent when the time started. A call
// whose context was cancelled does not go on (its past deadline is the
// cancel's).
func (st *ioState) sendAllGoesOn(mark int) bool {
	if st.op != opSendAll || !st.ktimeo() || st.n <= mark || !st.disarmToGoOn() {
		return false
	}
	st.retime(kernelTimeout(st.h.fd, false))
	return true
}
