package pysock

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
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
	fd := strconv.Itoa(k.Fd)
	if b, ok := k.FileObj.(bool); ok {
		fd = pyrepr.Repr(b) // an int file object is its own fd: True stays True
	}
	return fmt.Sprintf("SelectorKey(fileobj=%s, fd=%s, events=%d, data=%s)",
		pyrepr.Repr(k.FileObj), fd, k.Events, pyrepr.Repr(k.Data))
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
	switch {
	case over && fd < 0:
		// Any negative int is refused by its sign, however large.
		return 0, pyerr.NewValueError("Invalid file descriptor: " + pyrepr.Repr(fileobj))
	case over:
		return 0, pyerr.NewOverflowError("Python int too large to convert to C int")
	}
	if s, isSock := fileobj.(*Socket); !ok && isSock && s != nil {
		fd, ok = int64(s.shownFileno()), true // shown in the key, not given out (see fdesc)
	}
	if !ok {
		var err error
		fd, ok, err = pyarg.Fileno(fileobj)
		if err != nil && !pyerr.IsInstance(err, "ValueError") && !pyerr.IsInstance(err, "TypeError") {
			return 0, err
		}
		if !ok || err != nil { // Python: except (AttributeError, TypeError, ValueError)
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

// equalData is Python's "a == b" for the data modify compares: numbers
// (bools, integers and floats of any Go kind) by value, as 1 == 1.0 ==
// True; anything else as same does.
func equalData(a, b any) bool {
	x, xNum := numberValue(a)
	y, yNum := numberValue(b)
	if xNum && yNum {
		return x.Cmp(y) == 0
	}
	return same(a, b)
}

// numberValue is a Python number's exact value: ok false for anything
// else (NaN is no number here: it equals nothing, itself included).
func numberValue(v any) (*big.Float, bool) {
	if f, ok := pyarg.Float(v); ok {
		if math.IsNaN(f) {
			return nil, false
		}
		return new(big.Float).SetFloat64(f), true
	}
	if b, ok := v.(*big.Int); ok && b != nil {
		return new(big.Float).SetInt(b), true
	}
	n, ok, over := pyarg.Index(v)
	switch {
	case !ok:
		return nil, false
	case over:
		return new(big.Float).SetUint64(reflect.ValueOf(v).Uint()), true
	}
	return new(big.Float).SetInt64(n), true
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

// dataArg reads register's and modify's optional data argument; a second
// one is CPython's TypeError for the method (qual, its qualified name).
func dataArg(qual string, data []any) (any, error) {
	switch len(data) {
	case 0:
		return nil, nil
	case 1:
		return data[0], nil
	}
	return nil, tooManyPositional(qual, 3, 4, 3+len(data))
}

// selectorTimeout reads a selectors select() timeout (qual is the method's
// qualified name, for the TypeError of too many arguments): ok false for
// None; TypeError (Python's comparison error, op is the operator it failed
// on) for non-numbers.
func selectorTimeout(qual string, timeout []any, op string, numFirst bool) (sec float64, ok bool, err error) {
	if len(timeout) > 1 {
		return 0, false, tooManyPositional(qual, 1, 2, 1+len(timeout))
	}
	if isNoneArg(timeout) {
		return 0, false, nil
	}
	switch x := timeout[0].(type) {
	case Timeout:
		return x.Seconds(), true, nil
	case time.Duration:
		return x.Seconds(), true, nil
	}
	if f, isFloat := pyarg.Float(timeout[0]); isFloat {
		return f, true, nil // a float, or a float subclass
	}
	if b, isBig := timeout[0].(*big.Int); isBig {
		f, _ := new(big.Float).SetInt(b).Float64()
		return f, true, nil
	}
	n, isInt, over := asIndex(timeout[0])
	if over && n > 0 {
		// An unsigned integer beyond int64: the timeout's arithmetic
		// (timeout * 1e3) makes a float of it, as of any large int.
		return float64(reflect.ValueOf(timeout[0]).Uint()), true, nil
	}
	if !isInt {
		a, b := pyTypeName(timeout[0]), "int"
		if numFirst {
			a, b = b, a
		}
		return 0, false, pyerr.NewTypeError(fmt.Sprintf("'%s' not supported between instances of '%s' and '%s'", op, a, b))
	}
	return float64(n), true, nil
}

// DefaultSelector is selectors.DefaultSelector(): an EpollSelector on Linux.
func DefaultSelector() (*EpollSelector, error) { return NewEpollSelector() }
