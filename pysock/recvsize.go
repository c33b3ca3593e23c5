package pysock

import (
	"sync"
	"syscall"

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
//   - up to scratchSize, the syscall receives into a pooled scratch buffer
//     held only during the syscall (never while the goroutine waits), and
//     the result is a new slice of exactly the bytes received;
//   - beyond it, the buffer is sized by what is queued (FIONREAD, which is
//     the next datagram's length on a datagram socket), at most bufsize;
//     with less than scratchSize queued, the scratch buffer does;
//   - MSG_WAITALL in blocking mode, which waits for all of bufsize, gets
//     the whole buffer.
const scratchSize = 64 << 10

var scratchPool = sync.Pool{New: func() any { return new([scratchSize]byte) }}

// recvNew is one receive of opRecvNew / opRecvFromNew: into a buffer it
// allocates, at most st.n bytes (left in st.buf).
func (st *ioState) recvNew(fd, fl uintptr) (uintptr, syscall.Errno) {
	limit := st.n
	var x *ioExtra // the sockaddr buffer of recvfrom
	if st.op == opRecvFromNew {
		x = st.x
	}
	small := limit <= scratchSize
	if !small {
		// Sized by what is queued; with nothing queued (the call will
		// wait, end the stream or fail) the scratch buffer does.
		k, err := unix.IoctlGetInt(int(fd), unix.SIOCINQ)
		switch {
		case err != nil:
			// The queued size cannot be read (a listening socket, some
			// families): peek one byte first, so that a call that must
			// wait or fail does not allocate bufsize, and hold it while
			// it waits, for nothing.
			var probe [1]byte
			if _, e := recvfrom(fd, probe[:], fl|unix.MSG_PEEK, nil); e != 0 {
				return 0, e
			}
		case k <= scratchSize:
			small = true
		default:
			limit = min(limit, k)
		}
	}
	if small {
		sp := scratchPool.Get().(*[scratchSize]byte)
		b := sp[:min(limit, scratchSize)]
		n, e := recvfrom(fd, b, fl, x)
		if e == 0 {
			if int(n) <= len(b) {
				got := b[:n]
				out := make([]byte, len(got)) // with the copy: not zeroed first
				copy(out, got)
				st.buf = out
			} else {
				// MSG_TRUNC reported more than fits; CPython returns that
				// many bytes, the rest unset (zeros here).
				out := make([]byte, int(n))
				copy(out, b)
				st.buf = out
			}
		}
		scratchPool.Put(sp)
		return n, e
	}
	if cap(st.buf) < limit {
		st.buf = make([]byte, limit)
	}
	b := st.buf[:limit]
	n, e := recvfrom(fd, b, fl, x)
	if e == 0 {
		st.buf = exactResult(b, int(n))
	}
	return n, e
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
