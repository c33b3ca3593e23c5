package pysock

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// fdSetSize is FD_SETSIZE, the limit of select(): file descriptors must be below it.
const fdSetSize = 1024

// Filenoer is anything with a fileno() method, as Python's select accepts:
// a *Socket, or a type of the caller's. A fileno() that can raise,
// Fileno() (int, error) as a *SocketFile's and an *EpollObject's, and an
// *os.File (its Fd method) are accepted too.
type Filenoer = pyarg.Filenoer

// asFileDescriptor is CPython's PyObject_AsFileDescriptor
// (pyarg.FileDescriptor): an integer, or an object with Fileno(), read as a
// C int; CPython's errors for anything else.
// A *Socket's number is read without giving it out (see fdesc): waiting
// for it does not make another socket of it. Its flag is pinned, since
// poll's events show the number.
func asFileDescriptor(v any) (int, error) {
	if s, ok := v.(*Socket); ok && s != nil {
		return pyarg.FileDescriptor(s.shownFileno())
	}
	return pyarg.FileDescriptor(v)
}

// isNoneArg reports whether a timeout argument is Python's None: absent,
// nil (or a typed nil pointer), or the None Timeout.
func isNoneArg(timeout []any) bool {
	if len(timeout) == 0 || pyarg.IsNone(timeout[0]) {
		return true
	}
	t, ok := timeout[0].(Timeout)
	return ok && t.IsNone()
}

// Select is select.select(rlist, wlist, xlist[, timeout]): it waits until
// some of the given objects are ready for reading, writing or an
// exceptional condition, and returns the ready subsets of the lists, with
// the same values the caller passed, in the caller's order.
//
// Entries are *Socket values, anything with a Fileno() int method, or
// integer file descriptors. timeout is absent or nil to wait forever, or a
// number of seconds (an integer, a float, a time.Duration or a Timeout); 0
// polls. Errors are CPython's: a negative timeout is ValueError('timeout
// must be non-negative'), a descriptor of fdSetSize or more is
// ValueError('filedescriptor out of range in select()'), a closed socket
// is ValueError('file descriptor cannot be a negative integer (-1)'), a
// stale descriptor is OSError(9), a list of more than fdSetSize entries is
// ValueError('too many file descriptors in select()'). A descriptor closed
// while the call waits is reported ready in each list it is in when the
// call next looks (at the timeout, or when another is ready), as Linux's
// select(2) reports it; the close does not end the wait.
//
// The answer is select(2)'s; while nothing is ready the goroutine parks on
// Go's runtime poller (it holds no OS thread), unless a descriptor cannot
// be watched by epoll (a regular file), when it waits in select(2) itself.
// Interruptions by signals are retried with the time that is left (PEP
// 475).
func Select(rlist, wlist, xlist []any, timeout ...any) (r, w, x []any, err error) {
	if len(timeout) > 1 {
		return nil, nil, nil, pyerr.NewTypeError(fmt.Sprintf("select expected at most 4 arguments, got %d", 3+len(timeout)))
	}
	deadline, hasDeadline := time.Time{}, false
	if !isNoneArg(timeout) {
		ns, err := timeoutArg(timeout[0], 1e9, "timeout must be a float or None")
		if err != nil {
			return nil, nil, nil, err
		}
		if ns < 0 {
			return nil, nil, nil, pyerr.NewValueError("timeout must be non-negative")
		}
		deadline, hasDeadline = time.Now().Add(time.Duration(ns)), true
	}
	var fds [3][]int
	maxfd := -1
	for i, list := range [3][]any{rlist, wlist, xlist} {
		fds[i] = make([]int, len(list))
		for j, v := range list {
			fd, err := asFileDescriptor(v)
			if err != nil {
				return nil, nil, nil, err
			}
			if fd >= fdSetSize {
				return nil, nil, nil, pyerr.NewValueError("filedescriptor out of range in select()")
			}
			if j >= fdSetSize {
				// One list holds FD_SETSIZE entries at most, duplicates
				// counted (checked after the entry's own conversion).
				return nil, nil, nil, pyerr.NewValueError("too many file descriptors in select()")
			}
			fds[i][j] = fd
			maxfd = max(maxfd, fd)
		}
	}
	var sets [3]unix.FdSet
	var zero unix.Timeval
	// closed holds the descriptors closed while the call waited (see
	// recheck).
	var closed [3]unix.FdSet
	// selectOnce is select(2) on the caller's sets with timeout tv (nil:
	// none), retrying EINTR with the time that is left (PEP 475).
	selectOnce := func(tv *unix.Timeval) (int, error) {
		for {
			var setp [3]*unix.FdSet
			for i := range sets {
				sets[i].Zero()
				for _, fd := range fds[i] {
					if !closed[i].IsSet(fd) {
						sets[i].Set(fd)
					}
				}
				setp[i] = &sets[i]
			}
			if tv != nil && tv != &zero {
				left := max(time.Until(deadline), 0)
				*tv = unix.NsecToTimeval(int64((left + time.Microsecond - 1) / time.Microsecond * time.Microsecond))
			}
			n, err := unix.Select(maxfd+1, setp[0], setp[1], setp[2], tv)
			if err == syscall.EINTR {
				if tv != nil && tv != &zero && time.Until(deadline) < 0 {
					for i := range sets {
						sets[i].Zero()
					}
					return 0, nil
				}
				continue
			}
			if err != nil {
				return 0, toPyErr(err)
			}
			return n, nil
		}
	}
	// recheck is select(2) without waiting, once the call has waited. The
	// kernel's select, already waiting when a descriptor is closed,
	// reports it ready in each set it is in when it next looks (at the
	// timeout, or when another is ready), where a new select(2) fails
	// with EBADF: so a descriptor closed since the first look counts as
	// ready, and the others are looked at.
	recheck := func() (int, error) {
		n, err := selectOnce(&zero)
		if !errors.Is(err, syscall.EBADF) {
			return n, err
		}
		gone := 0
		for i := range fds {
			for _, fd := range fds[i] {
				if _, e := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); e == syscall.EBADF && !closed[i].IsSet(fd) {
					closed[i].Set(fd)
					gone++
				}
			}
		}
		if gone == 0 {
			return 0, err
		}
		if n, err = selectOnce(&zero); err != nil {
			return 0, err
		}
		for i := range sets {
			for _, fd := range fds[i] {
				if closed[i].IsSet(fd) {
					sets[i].Set(fd)
				}
			}
		}
		return n + gone, nil
	}
	n, err := selectOnce(&zero)
	if err != nil {
		return nil, nil, nil, err
	}
	if n == 0 && !(hasDeadline && !time.Now().Before(deadline)) {
		events := map[int]uint32{}
		for i, bits := range [3]uint32{
			unix.EPOLLIN | unix.EPOLLRDNORM | unix.EPOLLRDBAND,
			unix.EPOLLOUT | unix.EPOLLWRNORM | unix.EPOLLWRBAND,
			unix.EPOLLPRI,
		} {
			for _, fd := range fds[i] {
				events[fd] |= bits
			}
		}
		ok, err := waitReady(events, deadline, hasDeadline, func() (bool, error) {
			n, err := recheck()
			return n > 0, err
		})
		if !ok {
			// Not watchable by epoll: wait in select(2) itself.
			var tv *unix.Timeval
			if hasDeadline {
				tv = new(unix.Timeval)
			}
			_, err = selectOnce(tv)
		}
		if err != nil {
			return nil, nil, nil, err
		}
	}
	pick := func(list []any, fds []int, set *unix.FdSet) []any {
		out := []any{}
		for j, v := range list {
			if set.IsSet(fds[j]) {
				out = append(out, v)
			}
		}
		return out
	}
	return pick(rlist, fds[0], &sets[0]), pick(wlist, fds[1], &sets[1]), pick(xlist, fds[2], &sets[2]), nil
}
