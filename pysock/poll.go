package pysock

import (
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
	"golang.org/x/sys/unix"
)

// PollEvent is one (fd, events) tuple of the lists poll.poll() and
// epoll.poll() return.
type PollEvent struct {
	Fd     int
	Events int
}

// Repr prints the tuple as Python does: (3, 1).
func (e PollEvent) Repr() string { return pyrepr.Repr(pyrepr.Tuple{e.Fd, e.Events}) }

// String is the same as Repr.
func (e PollEvent) String() string { return e.Repr() }

// PollObject is a select.poll() object: a set of file descriptors with the
// events to wait for, and Poll to wait for them with poll(2).
type PollObject struct {
	mu      sync.Mutex
	events  map[int]int16
	order   []int // registration order, as CPython's dict keeps it
	running atomic.Bool
}

// Poll is select.poll(): a new, empty poll object.
func Poll() *PollObject { return &PollObject{events: map[int]int16{}} }

// eventMask converts a poll event mask the way CPython's unsigned short
// converter does (pyarg.UnsignedShort).
func eventMask(v any) (int16, error) {
	n, err := pyarg.UnsignedShort(v)
	return int16(n), err
}

// Register is poll.register(fd[, eventmask]): fd is an integer or has
// Fileno(); eventmask defaults to POLLIN|POLLPRI|POLLOUT. Registering an fd
// again replaces its mask.
func (p *PollObject) Register(fd any, eventmask ...any) error {
	n, err := asFileDescriptor(fd)
	if err != nil {
		return err
	}
	mask := int16(POLLIN | POLLPRI | POLLOUT)
	if len(eventmask) > 0 {
		if mask, err = eventMask(eventmask[0]); err != nil {
			return err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.events[n]; !ok {
		p.order = append(p.order, n)
	}
	p.events[n] = mask
	return nil
}

// Modify is poll.modify(fd, eventmask): FileNotFoundError(2) for an fd
// that is not registered.
func (p *PollObject) Modify(fd any, eventmask any) error {
	n, err := asFileDescriptor(fd)
	if err != nil {
		return err
	}
	mask, err := eventMask(eventmask)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.events[n]; !ok {
		return pyerr.FromErrno(syscall.ENOENT)
	}
	p.events[n] = mask
	return nil
}

// Unregister is poll.unregister(fd): KeyError(fd) for an fd that is not
// registered.
func (p *PollObject) Unregister(fd any) error {
	n, err := asFileDescriptor(fd)
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.events[n]; !ok {
		return pyerr.NewKeyError(n)
	}
	delete(p.events, n)
	p.order = slices.DeleteFunc(p.order, func(x int) bool { return x == n })
	return nil
}

// Poll is poll.poll([timeout]): it waits for the registered events and
// returns the (fd, events) pairs that are ready, in registration order.
// timeout is in milliseconds (an integer or a float); absent, nil or
// negative waits forever. A closed descriptor is reported with POLLNVAL,
// not as an error. Like Select, the answer is poll(2)'s and the goroutine
// parks on the runtime poller while it waits; signals are retried with the
// time that is left. Two concurrent calls on one object
// give RuntimeError('concurrent poll() invocation'), as in CPython.
func (p *PollObject) Poll(timeout ...any) ([]PollEvent, error) {
	deadline, hasDeadline := time.Time{}, false
	ms := -1
	if !isNoneArg(timeout) {
		var arg any = timeout[0]
		if t, ok := arg.(Timeout); ok {
			arg = time.Duration(t.ns)
		}
		m, ns, err := pyarg.PollTimeout(arg)
		if err != nil {
			return nil, err
		}
		if ns >= 0 {
			deadline, hasDeadline = time.Now().Add(time.Duration(ns)), true
			ms = int(m)
		}
	}
	if !p.running.CompareAndSwap(false, true) {
		return nil, pyerr.NewRuntimeError("concurrent poll() invocation")
	}
	defer p.running.Store(false)
	p.mu.Lock()
	fds := make([]unix.PollFd, len(p.order))
	events := make(map[int]uint32, len(p.order))
	for i, fd := range p.order {
		fds[i] = unix.PollFd{Fd: int32(fd), Events: p.events[fd]}
		events[fd] = uint32(uint16(p.events[fd]))
	}
	p.mu.Unlock()
	// pollOnce is poll(2) with a timeout of ms, retrying EINTR with the
	// time that is left (PEP 475).
	pollOnce := func(ms int) (int, error) {
		for {
			n, err := unix.Poll(fds, ms)
			if err == syscall.EINTR {
				if ms > 0 {
					left := time.Until(deadline)
					if left < 0 {
						return 0, nil
					}
					ms = int(ceilDiv(int64(left), 1e6))
				}
				continue
			}
			if err != nil {
				return 0, toPyErr(err)
			}
			return n, nil
		}
	}
	n, err := pollOnce(0)
	if err != nil {
		return nil, err
	}
	if n == 0 && ms != 0 {
		ok, err := waitReady(events, deadline, hasDeadline, func() (bool, error) {
			n, err := pollOnce(0)
			return n > 0, err
		})
		if !ok {
			// Not watchable by epoll: wait in poll(2) itself.
			if hasDeadline {
				ms = int(ceilDiv(int64(max(time.Until(deadline), 0)), 1e6))
			}
			_, err = pollOnce(ms)
		}
		if err != nil {
			return nil, err
		}
	}
	out := []PollEvent{}
	for _, f := range fds {
		if f.Revents != 0 {
			out = append(out, PollEvent{Fd: int(f.Fd), Events: int(uint16(f.Revents))})
		}
	}
	return out, nil
}

// ceilDiv divides rounding toward +infinity, as _PyTime_ROUND_CEILING.
func ceilDiv(n, d int64) int64 { return pyarg.CeilDiv(n, d) }
