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
// runtime register it with epoll; the kernel flag is set to whatever
// CPython would leave (cleared in blocking mode) once anything outside
// pysock can see it (fdesc.pinned). Every call goes through
// the RawConn: Control for plain syscalls, Read/Write for I/O, so the fd
// number cannot be closed and reused while a call uses it, and Close wakes
// parked callers. The data syscalls made under the File never sleep in the
// kernel (MSG_DONTWAIT, or a readiness check first); the few that could
// (see enterKernel) do not hold up Close. (*os.File).Fd is never called.
//
// An adopted fd (FromFileno) is registered through a private duplicate,
// since the number may already be registered by another *os.File or
// Socket (the runtime refuses a second registration): the File then holds
// the duplicate, fd is the caller's number and Close closes both.
type handle struct {
	file *os.File
	rc   syscall.RawConn
	fd   int  // the number Fileno reports
	priv bool // file holds a private duplicate of fd
	// spin is the read side's adaptive spin (spin.go), used under the
	// read side's lock; it lives here, in padding, to keep ioState packed.
	spin spinner
	// desc is the state of the file description, shared by its handles
	// (fdesc_linux.go); set when the handle is made.
	desc *fdesc
	// closed is set before the File is closed, so that calls it wakes
	// report OSError(9).
	closed atomic.Bool
	// kernelCalls counts syscalls in progress that may sleep in the
	// kernel (see enterKernel).
	kernelCalls atomic.Int32
	// woken: a shutdown woke the write parked on this handle (see
	// wakeWriters); under desc.wmu.
	woken bool
	// stream: SOCK_STREAM, where a blocking send and MSG_WAITALL span
	// several syscalls (set with the Socket).
	stream bool
	// peerShut: AF_UNIX stream or seqpacket, whose sends the peer's
	// shutdown(SHUT_RD) ends (see wakeWriters; set with the Socket).
	peerShut bool
	// unixDgram: AF_UNIX datagram (set with the Socket); ownWait: its
	// parked write waits for room in its own send buffer, not in a
	// receiver's queue (see wakeParked; under desc.wmu).
	unixDgram, ownWait bool
	// nextParked links the handles of a description with a blocking-mode
	// write parked (fdesc.parked), onParked says h is on that list; under
	// desc.wmu.
	nextParked *handle
	onParked   bool
	// rdl and wdl are the read and the write side's positions in their
	// deadline heap (deadline_heap.go), plus one; 0 when not there.
	// Under the heap's mu.
	rdl, wdl int32
	// waiters are the calls waiting for a side's lock (see lockSlow);
	// allocated on first contention.
	waiters atomic.Pointer[lockWaiters]
}

// unixStream reports an AF_UNIX stream socket: stream, and shut down by
// its peer's SHUT_RD (seqpacket is not a stream).
func (h *handle) unixStream() bool { return h.stream && h.peerShut }

// freshHandle wraps fd, a descriptor pysock has just created (socket,
// accept4, socketpair: nobody else knows its number yet), whose kernel
// flag is O_NONBLOCK, as the handle of a new description in mode
// nonblock. The flag stays set in every mode until the number is given
// out (see fdesc.pinned). On error fd is closed.
func freshHandle(fd int, nonblock bool) (*handle, error) {
	h, err := registerFresh(fd)
	if err != nil {
		return nil, err
	}
	h.desc = newDesc(nonblock)
	return h, nil
}

// registerFresh registers fd, a descriptor pysock has just created, with
// the poller; the caller gives the handle its description's record. On
// error fd is closed.
func registerFresh(fd int) (*handle, error) {
	if detached.count.Load() > 0 {
		fd = retireDetached(fd)
	}
	return register(fd, fd)
}

// register registers regFd (O_NONBLOCK set) with the poller as the handle
// of fd (regFd itself, or a private duplicate of it). On error regFd is
// closed.
func register(fd, regFd int) (*handle, error) {
	f := os.NewFile(uintptr(regFd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, pyerr.FromErrno(syscall.EBADF)
	}
	return &handle{file: f, rc: rc, fd: fd, priv: fd != regFd}, nil
}

// newDesc is the record of a description new to pysock, used by one
// handle, whose flag pysock sets to nonblock.
func newDesc(nonblock bool) *fdesc {
	d := new(fdesc)
	d.open.Store(1)
	d.nb.Store(nonblock)
	return d
}

// adoptHandle registers fd, a descriptor the caller owns, through a private
// duplicate, and leaves the shared kernel flag at nonblock. The caller has
// the number, so the record is pinned from the start.
func adoptHandle(fd int, nonblock bool) (*handle, error) {
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, toPyErr(err)
	}
	if err := setFIONBIO(dup, true); err != nil {
		unix.Close(dup)
		return nil, toPyErr(err)
	}
	h, err := register(fd, dup)
	if err != nil {
		return nil, err
	}
	if !nonblock {
		// Nothing else has the File yet, so dup can be used directly.
		if err := setFIONBIO(dup, false); err != nil {
			h.file.Close()
			return nil, toPyErr(err)
		}
	}
	h.desc = newDesc(nonblock)
	h.desc.pinned.Store(true)
	return h, nil
}

// sysfd is the descriptor a syscall made under the File uses: the File's
// own, or for an adopted fd the caller's number, so that a socket whose fd
// was closed behind its back fails with EBADF as CPython's does (the
// private duplicate only carries the poller registration).
func (h *handle) sysfd(fileFd uintptr) uintptr {
	if h.priv {
		return uintptr(h.fd)
	}
	return fileFd
}

// enterKernel brackets a syscall that may sleep in the kernel (accept4,
// connect, sendfile: they have no MSG_DONTWAIT, and a sibling sharing the
// file description may have cleared O_NONBLOCK). It reports false once the
// socket is closed; Close does not wait for such a call (see close).
func (h *handle) enterKernel() bool {
	h.kernelCalls.Add(1)
	if h.closed.Load() {
		h.kernelCalls.Add(-1)
		return false
	}
	return true
}

func (h *handle) exitKernel() { h.kernelCalls.Add(-1) }

// close closes the fd (and the private duplicate of an adopted one).
func (h *handle) close() error {
	h.release()
	err := h.closeFile()
	if h.priv {
		err = unix.Close(h.fd)
	}
	return err
}

// closeFile closes the File. It never waits for another goroutine's call:
// calls parked on the poller are woken (OSError 9); a syscall sleeping in
// the kernel keeps the description open until it returns, as in CPython,
// where close(2) returns at once and the other thread's call finishes
// later, and then fails with OSError 9.
func (h *handle) closeFile() error {
	h.closed.Store(true)
	if h.kernelCalls.Load() > 0 {
		go h.file.Close()
		return nil
	}
	return h.file.Close()
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

// nonblockOnce sets the kernel O_NONBLOCK flag of fd, a blocking-mode
// socket's, for one syscall that has no MSG_DONTWAIT (connect, sendfile),
// and reports whether it did: the caller clears it again after the
// syscall. A flag that is already set is left alone: a sibling sharing the
// file description (a dup, an adopted number) set it, and CPython, which
// never toggles the flag, leaves it set. (A sibling's change while the
// syscall runs is still undone by the caller's clear.)
func nonblockOnce(fd int) (bool, error) {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return false, err
	}
	if fl&unix.O_NONBLOCK != 0 {
		return false, nil
	}
	if err := setFIONBIO(fd, true); err != nil {
		return false, err
	}
	return true, nil
}

// control runs fn with the fd held open; errors from fn are returned as is.
func (h *handle) control(fn func(fd int) error) error {
	var inner error
	if err := h.rc.Control(func(fd uintptr) { inner = fn(int(h.sysfd(fd))) }); err != nil {
		return h.mapPollError(err)
	}
	return inner
}

// setNonblock sets the kernel O_NONBLOCK flag with ioctl(FIONBIO), as
// CPython's internal_setblocking does, once the record is pinned; before,
// it sets the record only (the flag stays set: see fdesc.pinned).
func (h *handle) setNonblock(on bool) error {
	d := h.desc
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pinned.Load() {
		err := h.control(func(fd int) error { return setFIONBIO(fd, on) })
		if err != nil {
			return toPyErr(err)
		}
	}
	d.nb.Store(on)
	return nil
}

// pin makes the kernel's flag follow the record from now on, clearing it
// first where it lags (blocking mode): h's number, or another way to the
// description, is about to be given out. It reports false if h was closed
// before the flag could be cleared.
func (h *handle) pin() bool {
	d := h.desc
	if d.pinned.Load() {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pinned.Load() {
		return true
	}
	if !d.nb.Load() && h.control(func(fd int) error { return setFIONBIO(fd, false) }) != nil {
		// h is closed: a sibling sharing the record (a dup) pins it
		// when its own number goes out.
		return false
	}
	d.pinned.Store(true)
	return true
}

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

// detached keeps the handle of every detached socket whose os.File holds
// the number given to the caller. That File must not be closed or
// collected while the number is the caller's: its finalizer would close
// the caller's fd, and its poller close would unregister whatever file
// then has that number. Adopting the number again (FromFileno) reuses the
// registration.
//
// An entry is known to be stale when the kernel hands pysock the same
// number for a new descriptor: the caller closed it. Only then, while
// pysock alone knows the number, can the old File be closed safely:
// retireDetached moves the new descriptor to another number first. So
// memory stays flat however often sockets are detached and their fds
// closed by hand.
var detached struct {
	sync.Mutex
	m     map[int][]detachedFD
	count atomic.Int32 // entries in m
}

type detachedFD struct {
	h        *handle
	dev, ino uint64
	s        *Socket // the socket it was detached from: see takeDetached
}

func fdID(fd int) (dev, ino uint64) {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil {
		return 0, 0
	}
	return uint64(st.Dev), st.Ino // Dev is 32 bits on some architectures
}

func rememberDetached(h *handle, s *Socket) {
	dev, ino := fdID(h.fd)
	detached.Lock()
	defer detached.Unlock()
	if detached.m == nil {
		detached.m = make(map[int][]detachedFD)
	}
	detached.m[h.fd] = append(detached.m[h.fd], detachedFD{h: h, dev: dev, ino: ino, s: s})
	detached.count.Add(1)
}

// takeDetached returns the handle of a detached fd being adopted again or
// closed with socket.close(fd), or nil. For adoption (adopt true) it
// returns nil while a call that began before Detach is still in progress
// on the old socket: sharing its File, the new socket's calls would queue
// behind it on the File's read or write lock, which no timeout
// interrupts, and both would use the handle's receive-deadline position
// and spin state. The new socket then registers a private duplicate.
func takeDetached(fd int, adopt bool) *handle {
	if detached.count.Load() == 0 {
		return nil
	}
	dev, ino := fdID(fd)
	detached.Lock()
	defer detached.Unlock()
	list := detached.m[fd]
	if len(list) == 0 {
		return nil
	}
	last := list[len(list)-1]
	if ino == 0 || last.ino != ino || last.dev != dev {
		return nil
	}
	if adopt && last.s != nil && last.s.busy(last.h) {
		return nil
	}
	dropDetached(fd, len(list)-1)
	return last.h
}

// busy reports whether a call holds or waits for a side of s, whose handle
// was h.
func (s *Socket) busy(h *handle) bool {
	if w := h.waiters.Load(); w != nil && w.n.Load() > 0 {
		return true
	}
	for _, sd := range []*side{&s.r, &s.w} {
		if !sd.mu.TryLock() {
			return true
		}
		sd.mu.Unlock()
		h.wakeWaiters() // one that came since: our TryLock may have made it miss the unlock
	}
	return false
}

// dropDetached removes entry i of fd's list. Callers hold detached.
func dropDetached(fd, i int) {
	list := detached.m[fd]
	list = append(list[:i:i], list[i+1:]...)
	if len(list) == 0 {
		delete(detached.m, fd)
	} else {
		detached.m[fd] = list
	}
	detached.count.Add(-1)
}

// retireDetached closes the stale Files of fd, a number the kernel has
// just given pysock, and returns the descriptor's new number (fd itself if
// there is nothing to retire). Each retirement moves the descriptor to
// another fresh number first (the lowest free one, which may have stale
// Files of its own: they are retired in turn), so every close(2) a stale
// File makes is of a number pysock alone knows.
func retireDetached(fd int) int {
	detached.Lock()
	defer detached.Unlock()
	for len(detached.m[fd]) > 0 {
		moved, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return fd // no number to move to: the entries wait
		}
		old := detached.m[fd][0].h
		dropDetached(fd, 0)
		old.release()
		// The old File's poller close finds fd unregistered (it is the
		// new, not yet registered descriptor) and its close(2) closes fd.
		old.file.Close()
		fd = moved
	}
	return fd
}
