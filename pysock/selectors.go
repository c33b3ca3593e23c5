package pysock

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"sync"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
	"golang.org/x/sys/unix"
)

// SelectorKey is selectors.SelectorKey: a registered file object, its file
// descriptor, the events waited for and the caller's data.
type SelectorKey struct {
	FileObj any
	Fd      int
	Events  int
	Data    any
}

// Repr prints the key as Python's namedtuple does:
// SelectorKey(fileobj=<socket.socket fd=3, …>, fd=3, events=1, data=None).
func (k SelectorKey) Repr() string {
	return fmt.Sprintf("SelectorKey(fileobj=%s, fd=%d, events=%d, data=%s)",
		pyrepr.Repr(k.FileObj), k.Fd, k.Events, pyrepr.Repr(k.Data))
}

// String is the same as Repr.
func (k SelectorKey) String() string { return k.Repr() }

// SelectorEvent is one (key, events) pair of the list Selector.Select
// returns: events is the subset of key.Events that is ready.
type SelectorEvent struct {
	Key    SelectorKey
	Events int
}

// Repr prints the pair as Python's tuple: (SelectorKey(…), 1).
func (e SelectorEvent) Repr() string { return fmt.Sprintf("(%s, %d)", e.Key.Repr(), e.Events) }

// String is the same as Repr.
func (e SelectorEvent) String() string { return e.Repr() }

// Selector is selectors.BaseSelector, implemented by SelectSelector,
// PollSelector and EpollSelector.
type Selector interface {
	// Register is register(fileobj, events, data=None).
	Register(fileobj any, events int, data ...any) (SelectorKey, error)
	// Unregister is unregister(fileobj).
	Unregister(fileobj any) (SelectorKey, error)
	// Modify is modify(fileobj, events, data=None).
	Modify(fileobj any, events int, data ...any) (SelectorKey, error)
	// Select is select(timeout=None).
	Select(timeout ...any) ([]SelectorEvent, error)
	// Close is close().
	Close() error
	// GetKey is get_key(fileobj).
	GetKey(fileobj any) (SelectorKey, error)
	// GetMap is get_map(); nil once closed.
	GetMap() *SelectorMapping
}

// fileobjToFd is selectors._fileobj_to_fd.
func fileobjToFd(fileobj any) (int, error) {
	fd, ok, over := pyarg.Index(fileobj)
	if over {
		return 0, pyerr.NewOverflowError("Python int too large to convert to C int")
	}
	if !ok {
		if fd, ok = pyarg.Fileno(fileobj); !ok {
			return 0, pyerr.NewValueError("Invalid file object: " + pyrepr.Repr(fileobj))
		}
	}
	if fd < 0 {
		return 0, pyerr.NewValueError(fmt.Sprintf("Invalid file descriptor: %d", fd))
	}
	return int(fd), nil // no upper bound here: the backend judges it
}

// same is Python's "a is b" for the values a caller registers, and stands
// for "a == b" when comparing data: values that Go can compare (judged on
// the dynamic value, so a struct holding an interface that holds a slice
// counts as uncomparable) compare with ==, anything else counts as
// different, which is never an error, as in Python.
func same(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if reflect.TypeOf(a) != reflect.TypeOf(b) || !reflect.ValueOf(a).Comparable() || !reflect.ValueOf(b).Comparable() {
		return false
	}
	return a == b
}

// selectorMap is selectors._BaseSelectorImpl: the fd → key table kept in
// registration order, as Python's dict keeps it.
type selectorMap struct {
	mu     sync.Mutex
	keys   map[int]SelectorKey
	order  map[int]uint64 // fd → registration number, for iteration order
	next   uint64
	closed bool
	view   *SelectorMapping
}

func (m *selectorMap) init() {
	m.keys = map[int]SelectorKey{}
	m.order = map[int]uint64{}
	m.view = &SelectorMapping{m: m}
}

// lookup is _fileobj_lookup: the fd, or for an object that no longer has a
// valid one (a closed socket), the fd it was registered with.
func (m *selectorMap) lookup(fileobj any) (int, error) {
	fd, err := fileobjToFd(fileobj)
	if err == nil {
		return fd, nil
	}
	if _, ok := err.(*pyerr.ValueError); ok {
		for _, k := range m.keys {
			if same(k.FileObj, fileobj) {
				return k.Fd, nil
			}
		}
	}
	return 0, err
}

func notRegistered(fileobj any) error {
	return pyerr.NewKeyError(pyrepr.Repr(fileobj) + " is not registered")
}

// add is _BaseSelectorImpl.register.
func (m *selectorMap) add(fileobj any, events int, data any) (SelectorKey, error) {
	if events == 0 || events&^(EVENT_READ|EVENT_WRITE) != 0 {
		return SelectorKey{}, pyerr.NewValueError(fmt.Sprintf("Invalid events: %d", events))
	}
	fd, err := m.lookup(fileobj)
	if err != nil {
		return SelectorKey{}, err
	}
	if _, ok := m.keys[fd]; ok {
		return SelectorKey{}, pyerr.NewKeyError(fmt.Sprintf("%s (FD %d) is already registered", pyrepr.Repr(fileobj), fd))
	}
	k := SelectorKey{FileObj: fileobj, Fd: fd, Events: events, Data: data}
	m.keys[fd] = k
	m.order[fd] = m.next
	m.next++
	return k, nil
}

// remove is _BaseSelectorImpl.unregister.
func (m *selectorMap) remove(fileobj any) (SelectorKey, error) {
	fd, err := m.lookup(fileobj)
	if err != nil {
		return SelectorKey{}, err
	}
	k, ok := m.keys[fd]
	if !ok {
		return SelectorKey{}, notRegistered(fileobj)
	}
	delete(m.keys, fd)
	delete(m.order, fd)
	return k, nil
}

// get is the key for a registered file object, or KeyError.
func (m *selectorMap) get(fileobj any) (SelectorKey, error) {
	fd, err := m.lookup(fileobj)
	if err != nil {
		return SelectorKey{}, err
	}
	k, ok := m.keys[fd]
	if !ok {
		return SelectorKey{}, notRegistered(fileobj)
	}
	return k, nil
}

// clear is _BaseSelectorImpl.close.
func (m *selectorMap) clear() {
	m.keys = map[int]SelectorKey{}
	m.order = map[int]uint64{}
	m.closed = true
}

// ordered is the registered fds in registration order (a Python dict's
// order; unregistering stays O(1) as it does there).
func (m *selectorMap) ordered() []int {
	fds := make([]int, 0, len(m.order))
	for fd := range m.order {
		fds = append(fds, fd)
	}
	slices.SortFunc(fds, func(a, b int) int { return cmp.Compare(m.order[a], m.order[b]) })
	return fds
}

// GetMap is get_map().
func (m *selectorMap) GetMap() *SelectorMapping {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	return m.view
}

// GetKey is get_key(fileobj): KeyError when not registered,
// RuntimeError('Selector is closed') after Close.
func (m *selectorMap) GetKey(fileobj any) (SelectorKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return SelectorKey{}, pyerr.NewRuntimeError("Selector is closed")
	}
	return m.get(fileobj)
}

// SelectorMapping is the read-only mapping get_map() returns: file objects
// (or fds) to their keys, iterated in registration order.
type SelectorMapping struct{ m *selectorMap }

// Len is len(mapping).
func (v *SelectorMapping) Len() int {
	v.m.mu.Lock()
	defer v.m.mu.Unlock()
	return len(v.m.keys)
}

// Get is mapping[fileobj]: KeyError when not registered.
func (v *SelectorMapping) Get(fileobj any) (SelectorKey, error) {
	v.m.mu.Lock()
	defer v.m.mu.Unlock()
	return v.m.get(fileobj)
}

// Keys is list(mapping): the registered fds in registration order.
func (v *SelectorMapping) Keys() []int {
	v.m.mu.Lock()
	defer v.m.mu.Unlock()
	return v.m.ordered()
}

// Values is list(mapping.values()): the keys in registration order.
func (v *SelectorMapping) Values() []SelectorKey {
	v.m.mu.Lock()
	defer v.m.mu.Unlock()
	fds := v.m.ordered()
	out := make([]SelectorKey, len(fds))
	for i, fd := range fds {
		out[i] = v.m.keys[fd]
	}
	return out
}

func dataArg(data []any) any {
	if len(data) > 0 {
		return data[0]
	}
	return nil
}

// selectorTimeout reads a selectors select() timeout: ok false for None;
// TypeError (Python's comparison error, op is the operator it failed on)
// for non-numbers.
func selectorTimeout(timeout []any, op string, numFirst bool) (sec float64, ok bool, err error) {
	if isNoneArg(timeout) {
		return 0, false, nil
	}
	switch x := timeout[0].(type) {
	case float64:
		return x, true, nil
	case float32:
		return float64(x), true, nil
	case Timeout:
		return x.Seconds(), true, nil
	case time.Duration:
		return x.Seconds(), true, nil
	}
	if b, isBig := timeout[0].(*big.Int); isBig {
		f, _ := new(big.Float).SetInt(b).Float64()
		return f, true, nil
	}
	n, isInt, _ := asIndex(timeout[0])
	if !isInt {
		a, b := pyTypeName(timeout[0]), "int"
		if numFirst {
			a, b = b, a
		}
		return 0, false, pyerr.NewTypeError(fmt.Sprintf("'%s' not supported between instances of '%s' and '%s'", op, a, b))
	}
	return float64(n), true, nil
}

// SelectSelector is selectors.SelectSelector, built on Select.
type SelectSelector struct {
	selectorMap
	readers, writers map[int]bool
}

// NewSelectSelector is selectors.SelectSelector().
func NewSelectSelector() *SelectSelector {
	s := &SelectSelector{readers: map[int]bool{}, writers: map[int]bool{}}
	s.init()
	return s
}

// Register is register(fileobj, events, data=None): fileobj is a *Socket,
// anything with Fileno(), or an fd; events is EVENT_READ, EVENT_WRITE or
// both. CPython's errors: ValueError('Invalid events: 0'), KeyError('… (FD
// 3) is already registered'), ValueError('Invalid file object: …').
func (s *SelectSelector) Register(fileobj any, events int, data ...any) (SelectorKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.register(fileobj, events, dataArg(data))
}

func (s *SelectSelector) register(fileobj any, events int, data any) (SelectorKey, error) {
	k, err := s.add(fileobj, events, data)
	if err != nil {
		return k, err
	}
	if events&EVENT_READ != 0 {
		s.readers[k.Fd] = true
	}
	if events&EVENT_WRITE != 0 {
		s.writers[k.Fd] = true
	}
	return k, nil
}

// Unregister is unregister(fileobj): KeyError('… is not registered').
func (s *SelectSelector) Unregister(fileobj any) (SelectorKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unregister(fileobj)
}

func (s *SelectSelector) unregister(fileobj any) (SelectorKey, error) {
	k, err := s.remove(fileobj)
	if err == nil {
		delete(s.readers, k.Fd)
		delete(s.writers, k.Fd)
	}
	return k, err
}

// Modify is modify(fileobj, events, data=None). As in CPython, a change of
// events unregisters and registers again (so a bad mask leaves fileobj
// unregistered).
func (s *SelectSelector) Modify(fileobj any, events int, data ...any) (SelectorKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.get(fileobj)
	if err != nil {
		return k, err
	}
	d := dataArg(data)
	if events != k.Events {
		if _, err := s.unregister(fileobj); err != nil {
			return SelectorKey{}, err
		}
		return s.register(fileobj, events, d)
	}
	if !same(d, k.Data) {
		k.Data = d
		s.keys[k.Fd] = k
	}
	return k, nil
}

// Select is select(timeout=None): it waits until a registered file object
// is ready or timeout seconds pass, and returns (key, events) pairs in fd
// order. A negative timeout polls. Like Select, the wait holds one OS
// thread.
func (s *SelectSelector) Select(timeout ...any) ([]SelectorEvent, error) {
	sec, ok, err := selectorTimeout(timeout, ">", true)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	var r, w []any
	for fd := range s.readers {
		r = append(r, fd)
	}
	for fd := range s.writers {
		w = append(w, fd)
	}
	s.mu.Unlock()
	var rr, wr []any
	if ok {
		// max(timeout, 0): the caller's value itself unless negative, so
		// that select() judges its size as it would in CPython.
		var t any = 0
		if !(0 > sec) { // max(timeout, 0) keeps a NaN, as Python's max does
			t = timeout[0]
		}
		rr, wr, _, err = Select(r, w, nil, t)
	} else {
		rr, wr, _, err = Select(r, w, nil)
	}
	if err != nil {
		return nil, err
	}
	ready := map[int]int{}
	for _, fd := range rr {
		ready[fd.(int)] |= EVENT_READ
	}
	for _, fd := range wr {
		ready[fd.(int)] |= EVENT_WRITE
	}
	return s.collect(ready), nil
}

// collect turns fd → ready events into the result list, in fd order
// (CPython iterates a set of small ints, which is close to that), skipping
// fds unregistered meanwhile.
func (m *selectorMap) collect(ready map[int]int) []SelectorEvent {
	fds := make([]int, 0, len(ready))
	for fd := range ready {
		fds = append(fds, fd)
	}
	slices.Sort(fds)
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []SelectorEvent{}
	for _, fd := range fds {
		if k, ok := m.keys[fd]; ok {
			out = append(out, SelectorEvent{Key: k, Events: ready[fd] & k.Events})
		}
	}
	return out
}

// Close is close(): forgets every registration; GetMap returns nil after.
func (s *SelectSelector) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
	clear(s.readers)
	clear(s.writers)
	return nil
}

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
	p.mu.Lock()
	defer p.mu.Unlock()
	k, err := p.add(fileobj, events, dataArg(data))
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
	p.mu.Lock()
	defer p.mu.Unlock()
	k, err := p.get(fileobj)
	if err != nil {
		return k, err
	}
	d := dataArg(data)
	changed := false
	if events != k.Events {
		if err := p.modify(k.Fd, p.mask(events)); err != nil {
			p.remove(fileobj)
			return SelectorKey{}, err
		}
		changed = true
	}
	if !same(d, k.Data) {
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
// milliseconds; zero or negative polls. The wait holds one OS thread.
func (s *PollSelector) Select(timeout ...any) ([]SelectorEvent, error) {
	sec, ok, err := selectorTimeout(timeout, "<=", false)
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

// DefaultSelector is selectors.DefaultSelector(): an EpollSelector on Linux.
func DefaultSelector() (*EpollSelector, error) { return NewEpollSelector() }

// Fileno is EpollSelector.fileno(): the epoll fd.
func (s *EpollSelector) Fileno() int { return s.ep.Fileno() }

// Select is select(timeout=None): timeout in seconds, rounded up to whole
// milliseconds; zero or negative polls; nil waits forever. After Close it
// is ValueError('I/O operation on closed epoll object').
func (s *EpollSelector) Select(timeout ...any) ([]SelectorEvent, error) {
	sec, ok, err := selectorTimeout(timeout, "<=", false)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	maxev := max(len(s.keys), 1)
	s.mu.Unlock()
	if s.ep.Closed() {
		return nil, errEpollClosed()
	}
	// epoll.poll(math.ceil(timeout * 1e3) * 1e-3, maxevents): whole
	// milliseconds, up, judged as epoll.poll judges them; the events go
	// straight into the result.
	wait, ns := true, int64(-1)
	switch {
	case !ok:
	case sec <= 0:
		wait = false
	default:
		ms := math.Ceil(sec * 1e3)
		if err := pyarg.FloatToInt(ms); err != nil {
			return nil, err
		}
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
