package pysock

import (
	"errors"
	"fmt"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// EpollObject is a select.epoll() object: an epoll instance.
//
// Unlike CPython, a waiting Poll does not hold an OS thread: the epoll fd is
// itself registered with Go's runtime poller (an epoll fd is readable when
// it has events ready), so a goroutine waiting in Poll is parked like one
// waiting in a socket's Recv. Close from another goroutine wakes it.
type EpollObject struct {
	mu     sync.Mutex // serializes Poll: the wait deadline belongs to the file
	file   *os.File
	rc     syscall.RawConn
	fd     int
	closed atomic.Bool
	buf    []unix.EpollEvent
	armed  bool // a read deadline is set on file
}

// Epoll is select.epoll(sizehint=-1, flags=0): a new epoll instance,
// close-on-exec. sizehint must be -1 or positive (ValueError('negative
// sizehint')); flags may only be 0 or EPOLL_CLOEXEC (OSError('invalid
// flags')).
func Epoll(args ...int) (*EpollObject, error) {
	sizehint, flags := -1, 0
	if len(args) > 0 {
		sizehint = args[0]
	}
	if len(args) > 1 {
		flags = args[1]
	}
	if len(args) > 2 {
		return nil, pyerr.NewTypeError(fmt.Sprintf("epoll() takes at most 2 arguments (%d given)", len(args)))
	}
	for _, v := range args {
		if _, err := clinicInt(v); err != nil {
			return nil, err
		}
	}
	if sizehint == -1 {
		sizehint = fdSetSize - 1
	} else if sizehint <= 0 {
		return nil, pyerr.NewValueError("negative sizehint")
	}
	if flags != 0 && flags != unix.EPOLL_CLOEXEC {
		return nil, pyerr.NewOSError("invalid flags")
	}
	fd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, toPyErr(err)
	}
	return newEpoll(fd)
}

// epollTimeout converts epoll.poll's timeout (seconds, not None): whether
// to wait, and for how long (-1: no limit), with CPython's errors.
func epollTimeout(v any) (wait bool, ns int64, err error) {
	t, err := timeoutArg(v, 1e9, "timeout must be an integer or None")
	if err != nil {
		return false, 0, err
	}
	ms := ceilDiv(t, 1e6)
	if ms < math.MinInt32 || ms > math.MaxInt32 {
		return false, 0, pyerr.NewOverflowError("timeout is too large")
	}
	if ms < 0 { // epoll_wait's own rounding: tiny negatives poll
		return true, -1, nil
	}
	return ms > 0, ms * 1e6, nil
}

// EpollFromFd is select.epoll.fromfd(fd): an epoll object that owns the
// existing epoll descriptor fd (it is closed with the object).
func EpollFromFd(fd int) (*EpollObject, error) {
	if fd < 0 {
		return nil, pyerr.FromErrno(syscall.EBADF)
	}
	return newEpoll(fd)
}

func newEpoll(fd int) (*EpollObject, error) {
	// O_NONBLOCK makes os.NewFile register the fd with the runtime poller;
	// it has no effect on epoll_wait, whose timeout is always explicit.
	if err := unix.SetNonblock(fd, true); err != nil {
		return nil, toPyErr(err)
	}
	f := os.NewFile(uintptr(fd), "epoll")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, toPyErr(err)
	}
	return &EpollObject{file: f, rc: rc, fd: fd}, nil
}

func errEpollClosed() error { return pyerr.NewValueError("I/O operation on closed epoll object") }

// Close is epoll.close(): closes the epoll fd; later calls are ValueError.
// Closing twice is allowed. A Poll waiting in another goroutine returns.
func (e *EpollObject) Close() error {
	if e == nil {
		return nil // a nil *EpollObject is a closed one
	}
	if e.closed.Swap(true) {
		return nil
	}
	if err := e.file.Close(); err != nil {
		return toPyErr(err)
	}
	return nil
}

// Closed is the epoll.closed attribute.
func (e *EpollObject) Closed() bool {
	if e == nil {
		return true // a nil *EpollObject is a closed one
	}
	return e.closed.Load()
}

// Fileno is epoll.fileno(); after Close, -1 and ValueError('I/O operation
// on closed epoll object'), which Select and the selectors pass on as
// CPython's do.
func (e *EpollObject) Fileno() (int, error) {
	if e == nil {
		return -1, errEpollClosed() // a nil *EpollObject is a closed one
	}
	if e.closed.Load() {
		return -1, errEpollClosed()
	}
	return e.fd, nil
}

// Repr is repr(epoll): <select.epoll object at 0x…>.
func (e *EpollObject) Repr() string { return fmt.Sprintf("<select.epoll object at %p>", e) }

// String is the same as Repr.
func (e *EpollObject) String() string { return e.Repr() }

// epollMask converts an event mask as CPython's bitwise unsigned int
// converter does: any integer, truncated to 32 bits.
func epollMask(v any) (uint32, error) { return pyarg.UnsignedIntBitwise(v) }

func (e *EpollObject) ctl(op int, fdArg any, mask []any) error {
	fd, err := asFileDescriptor(fdArg)
	if err != nil {
		return err
	}
	events := uint32(EPOLLIN | EPOLLPRI | EPOLLOUT)
	if len(mask) > 0 {
		if events, err = epollMask(mask[0]); err != nil {
			return err
		}
	}
	if e.closed.Load() {
		return errEpollClosed()
	}
	ev := unix.EpollEvent{Events: events, Fd: int32(fd)}
	cerr := e.rc.Control(func(epfd uintptr) {
		if op == unix.EPOLL_CTL_DEL {
			err = unix.EpollCtl(int(epfd), op, fd, nil)
		} else {
			err = unix.EpollCtl(int(epfd), op, fd, &ev)
		}
	})
	if cerr != nil {
		return errEpollClosed()
	}
	return toPyErr(err)
}

// Register is epoll.register(fd[, eventmask]): eventmask defaults to
// EPOLLIN|EPOLLPRI|EPOLLOUT. Registering twice is FileExistsError(17).
func (e *EpollObject) Register(fd any, eventmask ...any) error {
	if e == nil {
		return errEpollClosed() // a nil *EpollObject is a closed one
	}
	return e.ctl(unix.EPOLL_CTL_ADD, fd, eventmask)
}

// Modify is epoll.modify(fd, eventmask): FileNotFoundError(2) when fd is
// not registered.
func (e *EpollObject) Modify(fd any, eventmask any) error {
	if e == nil {
		return errEpollClosed() // a nil *EpollObject is a closed one
	}
	return e.ctl(unix.EPOLL_CTL_MOD, fd, []any{eventmask})
}

// Unregister is epoll.unregister(fd): FileNotFoundError(2) when fd is not
// registered.
func (e *EpollObject) Unregister(fd any) error {
	if e == nil {
		return errEpollClosed() // a nil *EpollObject is a closed one
	}
	return e.ctl(unix.EPOLL_CTL_DEL, fd, nil)
}

// Poll is epoll.poll(timeout=None, maxevents=-1): it waits for events and
// returns the ready (fd, events) pairs. timeout is in seconds (an integer,
// a float, a time.Duration or a Timeout); absent, nil or negative waits
// forever, 0 does not wait. maxevents -1 means FD_SETSIZE-1; below 1 is
// ValueError. The wait parks the goroutine on Go's runtime poller;
// concurrent Polls on one object take turns.
func (e *EpollObject) Poll(args ...any) ([]PollEvent, error) {
	if e == nil {
		return nil, errEpollClosed() // a nil *EpollObject is a closed one
	}
	if e.closed.Load() {
		return nil, errEpollClosed()
	}
	if len(args) > 2 {
		return nil, pyerr.NewTypeError(fmt.Sprintf("poll() takes at most 2 arguments (%d given)", len(args)))
	}
	// Argument Clinic converts maxevents before the timeout is looked at.
	maxevents := -1
	if len(args) > 1 {
		m, err := clinicInt(args[1])
		if err != nil {
			return nil, err
		}
		maxevents = m
	}
	wait, ns := true, int64(-1)
	if !isNoneArg(args) {
		var err error
		if wait, ns, err = epollTimeout(args[0]); err != nil {
			return nil, err
		}
	}
	if maxevents == -1 {
		maxevents = fdSetSize - 1
	} else if maxevents < 1 {
		return nil, pyerr.NewValueError(fmt.Sprintf("maxevents must be greater than 0, got %d", maxevents))
	}

	var out []PollEvent
	err := e.wait(wait, ns, maxevents, func(evs []unix.EpollEvent) {
		out = make([]PollEvent, len(evs))
		for i, ev := range evs {
			out[i] = PollEvent{Fd: int(ev.Fd), Events: int(ev.Events)}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// wait is epoll_wait through the runtime poller: it waits (if wait) at
// most ns nanoseconds (ns <= 0: no deadline) and hands the ready events to
// use, under the object's lock (the slice is only valid during use).
//
// CPython allocates maxevents events per call (MemoryError where the
// machine cannot); the buffer here grows with the events that are ready
// at once instead, so that a large maxevents costs nothing: when a call
// fills it, the next epoll_wait (timeout 0) continues into a larger one,
// up to maxevents, and stops at the first fd already reported (a
// level-triggered fd is queued again behind the ones not yet reported).
func (e *EpollObject) wait(wait bool, ns int64, maxevents int, use func([]unix.EpollEvent)) error {
	if err := checkAlloc(maxevents * int(unsafe.Sizeof(unix.EpollEvent{}))); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.buf == nil {
		e.buf = make([]unix.EpollEvent, 64)
	}
	if ns > 0 {
		e.file.SetReadDeadline(time.Now().Add(time.Duration(ns)))
		e.armed = true
	} else if e.armed {
		e.file.SetReadDeadline(time.Time{})
		e.armed = false
	}
	var n int
	var werr error
	err := e.rc.Read(func(epfd uintptr) bool {
		n, werr = epollWait(int(epfd), e.buf[:min(len(e.buf), maxevents)])
		for werr == nil && n == len(e.buf) && n < maxevents {
			grown := make([]unix.EpollEvent, min(2*len(e.buf), maxevents))
			copy(grown, e.buf[:n])
			e.buf = grown
			var more int
			more, werr = epollWait(int(epfd), grown[n:])
			n += uniqueEvents(grown[:n], grown[n:n+more])
			if n < len(grown) {
				break
			}
		}
		return werr != nil || n > 0 || !wait
	})
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		n = 0
	case err != nil:
		return errEpollClosed()
	case werr != nil:
		return toPyErr(werr)
	}
	use(e.buf[:n])
	return nil
}

// epollWait is epoll_wait(2) without waiting, retrying EINTR.
func epollWait(epfd int, buf []unix.EpollEvent) (int, error) {
	for {
		n, err := unix.EpollWait(epfd, buf, 0)
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// uniqueEvents is how many of more, read after got, come before the first
// fd that got already has.
func uniqueEvents(got, more []unix.EpollEvent) int {
	seen := make(map[int32]bool, len(got))
	for _, ev := range got {
		seen[ev.Fd] = true
	}
	for i, ev := range more {
		if seen[ev.Fd] {
			return i
		}
	}
	return len(more)
}
