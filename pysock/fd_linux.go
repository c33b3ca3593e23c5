package pysock

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// handle is an open socket fd registered with Go's runtime poller.
//
// The fd is wrapped with os.NewFile while O_NONBLOCK is set, which makes the
// runtime register it with epoll; the kernel flag is then set to whatever
// CPython would leave (cleared in blocking mode). Every call goes through
// the RawConn: Control for plain syscalls, Read/Write for I/O, so the fd
// number cannot be closed and reused while a call uses it, and Close wakes
// parked callers. No syscall made under the File ever sleeps in the kernel:
// I/O uses MSG_DONTWAIT and waits park on the poller. (*os.File).Fd is never
// called.
type handle struct {
	file *os.File
	rc   syscall.RawConn
	fd   int
	mu   sync.Mutex  // serializes flag changes
	nb   atomic.Bool // what the kernel O_NONBLOCK flag is, as far as we set it
	// closed is set before the File is closed, so that calls it wakes
	// report OSError(9).
	closed atomic.Bool
}

// newHandle wraps fd, which must already be non-blocking, and leaves the
// kernel flag at nonblock. On error fd is closed.
func newHandle(fd int, nonblock bool) (*handle, error) {
	f := os.NewFile(uintptr(fd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, pyerr.FromErrno(syscall.EBADF)
	}
	h := &handle{file: f, rc: rc, fd: fd}
	h.nb.Store(nonblock)
	if !nonblock {
		// Nothing else has the File yet, so fd can be used directly (and
		// no closure is allocated for each accepted connection).
		if err := setFIONBIO(fd, false); err != nil {
			f.Close()
			return nil, toPyErr(err)
		}
	}
	return h, nil
}

// setFIONBIO sets the kernel O_NONBLOCK flag with ioctl(FIONBIO), as
// CPython's internal_setblocking does.
func setFIONBIO(fd int, on bool) error {
	v := 0
	if on {
		v = 1
	}
	for {
		err := unix.IoctlSetPointerInt(fd, fionbio, v)
		if err != syscall.EINTR {
			return err
		}
	}
}

// control runs fn with the fd held open; errors from fn are returned as is.
func (h *handle) control(fn func(fd int) error) error {
	var inner error
	if err := h.rc.Control(func(fd uintptr) { inner = fn(int(fd)) }); err != nil {
		return h.mapPollError(err)
	}
	return inner
}

// setNonblock sets the kernel O_NONBLOCK flag with ioctl(FIONBIO), as
// CPython's internal_setblocking does.
func (h *handle) setNonblock(on bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	err := h.control(func(fd int) error { return setFIONBIO(fd, on) })
	if err != nil {
		return toPyErr(err)
	}
	h.nb.Store(on)
	return nil
}

// nbFast reports the kernel O_NONBLOCK flag as last set. In blocking mode it
// is true only for an adopted fd that was already non-blocking, where
// CPython's blocking calls fail with EAGAIN instead of waiting.
func (h *handle) nbFast() bool { return h.nb.Load() }

// errClosed is what a call on a closed socket returns: OSError(9, 'Bad file
// descriptor'), which also matches net.ErrClosed and os.ErrClosed.
func errClosed() error { return pyerr.FromErrnoCause(syscall.EBADF, errClosedCause) }

var errClosedCause = closedCause{}

// closedCause matches both net.ErrClosed and os.ErrClosed under errors.Is.
type closedCause struct{}

func (closedCause) Error() string { return "use of closed network connection" }
func (closedCause) Is(target error) bool {
	return target == netErrClosed || target == os.ErrClosed
}

// mapPollError turns an error from h's RawConn into pysock's: the deadline
// → the socket timeout; anything once the socket is closed (the RawConn
// reports internal/poll's "use of closed file") → OSError(9).
func (h *handle) mapPollError(err error) error {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return pyerr.NewSocketTimeout()
	case h.closed.Load() || errors.Is(err, os.ErrClosed):
		return errClosed()
	}
	return toPyErr(err)
}

// toPyErr converts a syscall error to its Python exception.
func toPyErr(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(pyerr.PyException); ok {
		return err
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return pyerr.FromErrno(errno)
	}
	return pyerr.NewOSError(err.Error())
}

// detached keeps the os.File of every detached socket whose fd is still
// the caller's, so that its finalizer never closes that fd, and so that
// adopting the fd again reuses the poller registration.
var detached struct {
	sync.Mutex
	m         map[int]detachedFD
	graveyard []*os.File
}

type detachedFD struct {
	h   *handle
	ino uint64
}

func fdIno(fd int) uint64 {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return 0
	}
	return st.Ino
}

func rememberDetached(h *handle) {
	detached.Lock()
	defer detached.Unlock()
	if detached.m == nil {
		detached.m = make(map[int]detachedFD)
	}
	if old, ok := detached.m[h.fd]; ok {
		detached.graveyard = append(detached.graveyard, old.h.file)
	}
	detached.m[h.fd] = detachedFD{h: h, ino: fdIno(h.fd)}
}

// takeDetached returns the handle of a detached fd being adopted again, or
// nil. A stale entry (the caller closed the fd and the number was reused)
// is kept alive forever rather than let its finalizer close the new fd.
func takeDetached(fd int) *handle {
	detached.Lock()
	defer detached.Unlock()
	d, ok := detached.m[fd]
	if !ok {
		return nil
	}
	delete(detached.m, fd)
	if ino := fdIno(fd); ino != 0 && ino == d.ino {
		return d.h
	}
	detached.graveyard = append(detached.graveyard, d.h.file)
	return nil
}

// fionbio is the FIONBIO ioctl request (asm-generic value, used on amd64 and
// arm64), which CPython uses to switch O_NONBLOCK.
const fionbio = 0x5421
