package pysock

import (
	"math"
	"math/big"

	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// pollLike is the part of _PollLikeSelector that PollSelector and
// EpollSelector share: the backend's register/modify/unregister.
type pollLike struct {
	selectorMap
	readMask, writeMask int
	register            func(fd int, mask int) error
	modify              func(fd int, mask int) error
	unregister          func(fd int) error
}

func (p *pollLike) mask(events int) int {
	m := 0
	if events&EVENT_READ != 0 {
		m |= p.readMask
	}
	if events&EVENT_WRITE != 0 {
		m |= p.writeMask
	}
	return m
}

// Register is register(fileobj, events, data=None); see
// SelectSelector.Register for the arguments and errors.
func (p *pollLike) Register(fileobj any, events int, data ...any) (SelectorKey, error) {
	d, err := dataArg("_PollLikeSelector.register", data)
	if err != nil {
		return SelectorKey{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	k, err := p.add(fileobj, events, d)
	if err != nil {
		return k, err
	}
	if err := p.register(k.Fd, p.mask(events)); err != nil {
		p.remove(fileobj)
		return SelectorKey{}, err
	}
	return k, nil
}

// Unregister is unregister(fileobj): KeyError('… is not registered'). An
// fd closed since it was registered is forgotten without error.
func (p *pollLike) Unregister(fileobj any) (SelectorKey, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k, err := p.remove(fileobj)
	if err != nil {
		return k, err
	}
	_ = p.unregister(k.Fd) // CPython ignores OSError here
	return k, nil
}

// Modify is modify(fileobj, events, data=None). As in CPython the events
// are not validated here, and a failure of the backend unregisters fileobj.
func (p *pollLike) Modify(fileobj any, events int, data ...any) (SelectorKey, error) {
	d, err := dataArg("_PollLikeSelector.modify", data)
	if err != nil {
		return SelectorKey{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	k, err := p.get(fileobj)
	if err != nil {
		return k, err
	}
	changed := false
	if events != k.Events {
		if err := p.modify(k.Fd, p.mask(events)); err != nil {
			p.remove(fileobj)
			return SelectorKey{}, err
		}
		changed = true
	}
	if !equalData(d, k.Data) {
		changed = true
	}
	if changed {
		k.Events, k.Data = events, d
		p.keys[k.Fd] = k
	}
	return k, nil
}

// event converts one backend (fd, events) pair as _PollLikeSelector does:
// anything but the read bit counts as writable, anything but the write bit
// as readable; false for an fd no longer registered. Callers hold p.mu.
func (p *pollLike) event(fd, events int) (SelectorEvent, bool) {
	ev := 0
	if events&^p.readMask != 0 {
		ev |= EVENT_WRITE
	}
	if events&^p.writeMask != 0 {
		ev |= EVENT_READ
	}
	k, ok := p.keys[fd]
	return SelectorEvent{Key: k, Events: ev & k.Events}, ok
}

// ready converts the backend's list, keeping its order (as CPython).
func (p *pollLike) ready(list []PollEvent) []SelectorEvent {
	out := make([]SelectorEvent, 0, len(list))
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range list {
		if ev, ok := p.event(e.Fd, e.Events); ok {
			out = append(out, ev)
		}
	}
	return out
}

// PollSelector is selectors.PollSelector, built on a PollObject.
type PollSelector struct {
	pollLike
	poll *PollObject
}

// NewPollSelector is selectors.PollSelector().
func NewPollSelector() *PollSelector {
	s := &PollSelector{poll: Poll()}
	s.init()
	s.readMask, s.writeMask = POLLIN, POLLOUT
	s.register = func(fd, mask int) error { return s.poll.Register(fd, mask) }
	s.modify = func(fd, mask int) error { return s.poll.Modify(fd, mask) }
	s.unregister = func(fd int) error { return s.poll.Unregister(fd) }
	return s
}

// Select is select(timeout=None): timeout in seconds, rounded up to whole
// milliseconds; zero or negative polls. The wait parks on the poller, as
// Poll does.
func (s *PollSelector) Select(timeout ...any) ([]SelectorEvent, error) {
	sec, ok, err := selectorTimeout("_PollLikeSelector.select", timeout, "<=", false)
	if err != nil {
		return nil, err
	}
	var list []PollEvent
	switch {
	case !ok:
		list, err = s.poll.Poll()
	case sec <= 0:
		list, err = s.poll.Poll(0)
	default:
		// math.ceil(timeout * 1e3): a Python int, however large, which
		// poll() then judges.
		ms := math.Ceil(sec * 1e3)
		if err := pyarg.FloatToInt(ms); err != nil {
			return nil, err
		}
		var arg any = int64(ms)
		if ms >= math.MaxInt64 {
			arg, _ = new(big.Float).SetFloat64(ms).Int(nil)
		}
		list, err = s.poll.Poll(arg)
	}
	if err != nil {
		return nil, err
	}
	return s.ready(list), nil
}

// Close is close(): forgets every registration; GetMap returns nil after.
func (s *PollSelector) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear() // as in CPython, the poll object keeps its fds; nothing is reported for them
	return nil
}

// EpollSelector is selectors.EpollSelector (and DefaultSelector on Linux),
// built on an EpollObject: waiting in Select parks the goroutine on Go's
// runtime poller without holding an OS thread.
type EpollSelector struct {
	pollLike
	ep *EpollObject
}

// NewEpollSelector is selectors.EpollSelector(); it fails only when no
// epoll fd can be created (e.g. OSError(24)).
func NewEpollSelector() (*EpollSelector, error) {
	ep, err := Epoll()
	if err != nil {
		return nil, err
	}
	s := &EpollSelector{ep: ep}
	s.init()
	s.readMask, s.writeMask = EPOLLIN, EPOLLOUT
	s.register = func(fd, mask int) error { return s.ep.Register(fd, mask) }
	s.modify = func(fd, mask int) error { return s.ep.Modify(fd, mask) }
	s.unregister = func(fd int) error { return s.ep.Unregister(fd) }
	return s, nil
}

// Fileno is EpollSelector.fileno(): the epoll fd (epoll.fileno()'s error
// once closed).
func (s *EpollSelector) Fileno() (int, error) { return s.ep.Fileno() }

// Select is select(timeout=None): timeout in seconds, rounded up to whole
// milliseconds; zero or negative polls; nil waits forever. After Close it
// is ValueError('I/O operation on closed epoll object').
func (s *EpollSelector) Select(timeout ...any) ([]SelectorEvent, error) {
	sec, ok, err := selectorTimeout("EpollSelector.select", timeout, "<=", false)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	maxev := max(len(s.keys), 1)
	s.mu.Unlock()
	// epoll.poll(math.ceil(timeout * 1e3) * 1e-3, maxevents): whole
	// milliseconds, up (math.ceil's errors come first), then epoll.poll's
	// closed check, then its judgement of the time; the events go
	// straight into the result.
	wait, ns := true, int64(-1)
	ms := 0.0
	switch {
	case !ok:
	case sec <= 0:
		wait = false
	default:
		ms = math.Ceil(sec * 1e3)
		if err := pyarg.FloatToInt(ms); err != nil {
			return nil, err
		}
	}
	if s.ep.Closed() {
		return nil, errEpollClosed()
	}
	if ms > 0 {
		if wait, ns, err = epollTimeout(ms * 1e-3); err != nil {
			return nil, err
		}
	}
	var out []SelectorEvent
	err = s.ep.wait(wait, ns, maxev, func(evs []unix.EpollEvent) {
		out = make([]SelectorEvent, 0, len(evs))
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, e := range evs {
			if ev, ok := s.event(int(e.Fd), int(e.Events)); ok {
				out = append(out, ev)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Close is close(): closes the epoll fd and forgets every registration.
func (s *EpollSelector) Close() error {
	err := s.ep.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
	return err
}
