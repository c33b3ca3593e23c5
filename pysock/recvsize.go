package pysock

import (
	"syscall"
	"unsafe"

	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// The bytes recv and recvfrom return are sized by what arrived, not by
// bufsize. CPython allocates bufsize bytes, receives, and shrinks the
// result to its length, so neither a large bufsize nor a kept result costs
// more than the data; a Go slice of a bufsize allocation would keep all of
// it alive, and allocating bufsize zeroed bytes per call costs as much as
// bufsize. So:
//
//   - up to scratchSize, the syscall receives into a spare scratch buffer
//     held only from the syscall to the copy (never while the goroutine
//     waits), and the result is a new slice of exactly the bytes
//     received, allocated once the call is back in its caller's frame
//     (takeScratch): an allocation in the callback, under the frames of
//     a receive that parks, refills its span on the goroutine's stack
//     often enough to double the stack of every recv(n) loop;
//   - beyond it, the buffer is sized by what is queued (FIONREAD, which is
//     the next datagram's length on a datagram socket), at most bufsize;
//     with less than scratchSize queued, the scratch buffer does;
//   - MSG_WAITALL in blocking mode, which waits for all of bufsize, gets
//     the whole buffer.
const scratchSize = 64 << 10 // the buffers: scratch.go

// recvScratch receives at most limit bytes into a scratch buffer, which
// the caller copies out (takeScratch).
func (st *ioState) recvScratch(fd, fl uintptr, limit int) (uintptr, syscall.Errno) {
	if limit == 0 {
		// recvfrom(0): no buffer, so none is held if the call then waits
		// (timeout mode, when the socket is not readable). With MSG_TRUNC
		// the datagram's length comes back: newResult makes that many
		// bytes.
		return recvfrom(fd, nil, fl, st.x)
	}
	sp := getScratch(fd)
	b := sp[:limit]
	var n uintptr
	var e syscall.Errno
	if st.op == opRecvFromNew {
		n, e = recvfrom(fd, b, fl, st.x) // with the sender's address
	} else {
		// recv: the syscall from this frame, one less under a parked
		// goroutine (TestParkedStackSize).
		n, _, e = unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), fl, 0, 0)
	}
	if e != 0 {
		putScratch(fd, sp)
		return n, e
	}
	st.buf = b // holdsScratch: the caller copies the bytes out
	return n, e
}

// recvLarge is a recv or recvfrom with a bufsize beyond the scratch
// buffer: the buffer is sized by what is queued (FIONREAD). done is false
// when less than the scratch buffer is queued: readOnce receives into
// that.
//
//go:noinline
func (st *ioState) recvLarge(fd, fl uintptr) (n uintptr, e syscall.Errno, done bool) {
	limit := st.n
	// The queued size, with the syscall from this frame: IoctlGetInt's
	// call chain went deeper than the 2 KiB a goroutine starts with, and
	// so doubled the stack of every goroutine that parked in a large
	// recv (TestParkedStackSize's recv-large mode).
	var queued int32
	_, _, e = unix.RawSyscall(unix.SYS_IOCTL, fd, unix.SIOCINQ, uintptr(unsafe.Pointer(&queued)))
	k := int(queued)
	switch {
	case e != 0:
		// The queued size cannot be read (a listening socket, some
		// families): peek one byte first, so that a call that must wait
		// or fail does not allocate bufsize, and hold it while it waits,
		// for nothing.
		var probe [1]byte
		if _, e := recvfrom(fd, probe[:], fl|unix.MSG_PEEK, nil); e != 0 {
			return 0, e, true
		}
	case k <= scratchSize:
		return 0, 0, false
	default:
		limit = min(limit, k)
	}
	var x *ioExtra
	if st.op == opRecvFromNew {
		x = st.x
	}
	switch {
	case cap(st.buf) >= limit:
		// The buffer growBuf made for this call.
	case cap(st.buf) > scratchSize && st.h.stream:
		// The buffer growBuf made for this call: what came since it was
		// sized is left for the next call. (A datagram is not cut: a
		// larger one than the buffer was made for, after another
		// receive took that one, gets a buffer of its own.)
		limit = cap(st.buf)
	case st.wait:
		// A call that may park allocates out of the callback, under
		// fewer frames: an allocation this large here (a span of its
		// own, often a GC assist) doubled the stack of every goroutine
		// that then parked in a large recv (TestParkedStackSize's
		// recv-large mode).
		st.x.grow = limit
		return 0, errnoGrow, true
	default:
		st.buf = make([]byte, limit) // a call that does not wait
	}
	b := st.buf[:limit]
	n, e = recvfrom(fd, b, fl, x)
	if e == 0 {
		st.buf = exactResult(b, int(n))
	}
	return n, e, true
}

// growBuf makes the buffer a large receive asked for (recvLarge), above
// run's frames. From the callback, that allocation went past the 2 KiB a
// goroutine starts with and doubled the stack of every goroutine that
// then parked in a large recv; from here it fits with recv(n)'s headroom
// (TestParkedStackSize's recv-large mode). A sweep or GC assist that an
// allocation of this size may run can still go deeper, as it can under
// any Go allocation of that size.
//
//go:noinline
func (st *ioState) growBuf() {
	st.buf = make([]byte, st.x.grow)
	st.errno = 0
}

// holdsScratch reports whether st.buf is a scratch buffer's window, which
// a recv or recvfrom received into (recvScratch). Every such window has
// the scratch buffer's capacity. A large receive's result (recvLarge) of
// exactly that capacity is taken for one too, which is harmless: its
// bytes are copied out all the same, and the buffer joins the spares.
func (st *ioState) holdsScratch() bool {
	return (st.op == opRecvNew || st.op == opRecvFromNew) && cap(st.buf) == scratchSize
}

// takeScratch is the result of a receive into a scratch buffer: a new
// slice of the st.n bytes received; the buffer goes back to the spares.
// With MSG_TRUNC, st.n may exceed the window received into: CPython
// returns that many bytes, the rest unset (zeros here).
func (st *ioState) takeScratch() []byte {
	out := make([]byte, st.n) // with the copy: not zeroed first
	copy(out, st.buf)
	st.releaseScratch()
	return out
}

// releaseScratch gives the scratch buffer back, if st holds one.
func (st *ioState) releaseScratch() {
	if st.holdsScratch() {
		putScratch(uintptr(st.h.fd), (*[scratchSize]byte)(st.buf[:scratchSize]))
		st.buf = nil
	}
}

// exactResult is what a receive of n bytes into buf returns: buf[:n], or
// a copy when keeping buf would hold noticeably more than the data; with
// MSG_TRUNC, n may exceed the buffer (see recvNew).
func exactResult(buf []byte, n int) []byte {
	if waste := cap(buf) - n; n <= len(buf) && (waste <= 4096 || waste <= n/8) {
		return buf[:n]
	}
	out := make([]byte, n)
	copy(out, buf)
	return out
}

// checkAlloc is where CPython's allocation of a receive buffer would raise
// MemoryError (pyarg.Alloc); the sizes a call can hold anyway are not
// looked at.
func checkAlloc(n int) error {
	if n <= scratchSize {
		return nil
	}
	return pyarg.Alloc(n)
}
