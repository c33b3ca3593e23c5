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
// unix_stream_sendmsg waits for each skb with the whole SO_SNDTIMEO
// (sock_alloc_send_pskb reads it each time), so a send that keeps making
// progress never times out, where TCP's time bounds the whole call. The
// new deadline is only recorded here, in the callback: the heap keeps
// the old one, and when that passes, writeAgain finds the deadline moved
// and waits again (deadlineMoved).
//
//go:noinline
func (st *ioState) restartKernelTimeout(fd uintptr) {
	if ns := kernelTimeout(int(st.h.sysfd(fd)), false); ns > 0 {
		st.deadline = monoAfter(ns)
	}
}

// deadlineMoved reports whether a call woken by its deadline's passing
// still has time: restartKernelTimeout moved the deadline later. The call
// is disarmed, to wait again until the new deadline.
func (st *ioState) deadlineMoved() bool {
	if !st.ktimeo() || monoNow() >= st.deadline || st.cancelled() {
		return false
	}
	st.disarm()
	return true
}

// roomAtExpiry is the last look of an AF_UNIX send whose SO_SNDTIMEO time
// has run out while it waited for room in its own send buffer. The
// kernel's sock_alloc_send_pskb, woken by the expiry, looks at the buffer
// once more and, when it is below SO_SNDBUF (a peer read too little to
// wake the writer: a quarter of the buffer), goes on with the time
// started afresh (a stream send then waits for its next part with the
// whole time). So the call, if there is room, gets a new deadline and
// tries again. TCP's tcp_sendmsg gives up at expiry, and a datagram
// waiting for a receiver's queue is not waiting for its own buffer. Once
// per deadline (looked: the deadline last looked at).
func (st *ioState) roomAtExpiry(looked *int64) bool {
	h := st.h
	if !st.ktimeo() || !(h.peerShut || h.unixDgram && h.ownWait) || *looked == st.deadline || st.cancelled() {
		return false
	}
	*looked = st.deadline
	var ns int64
	h.control(func(fd int) error {
		if !sendBufferFull(fd) {
			ns = kernelTimeout(fd, false)
		}
		return nil
	})
	if ns <= 0 {
		return false // no room (or the option is gone): the call ends
	}
	st.disarm()
	st.deadline = monoAfter(ns)
	return true
}

// cancelled reports whether a context cancelled the call.
func (st *ioState) cancelled() bool {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	return st.cancel
}

// sendAllGoesOn reports whether a sendall whose kernel-timeout deadline
// has passed goes on, and then starts its next time. CPython's sendall is
// a loop of the kernel's timed sends: after progress, the send that timed
// out returned its part, and sendall made another with the whole time
// again. mark is what had been sent when the time started. A call whose
// context was cancelled does not go on (its past deadline is the
// cancel's).
func (st *ioState) sendAllGoesOn(mark int) bool {
	if st.op != opSendAll || !st.ktimeo() || st.n <= mark || st.cancelled() {
		return false
	}
	st.disarm()
	ns := kernelTimeout(st.h.fd, false)
	st.timed, st.deadline = ns > 0, monoAfter(ns)
	return true
}
