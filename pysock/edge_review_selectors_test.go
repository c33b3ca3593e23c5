package pysock_test

// An outside review of Select and the selectors against CPython 3.11.7,
// 2026-12-03. Every test here failed on the code reviewed (0e527d2):
// each showed one difference from CPython, since fixed. The Python
// snippet and its output are in the comment above each test. (One more
// it found is a known difference: SelectSelector.register of an fd beyond
// int64, docs/python-to-go.md.)

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// rvSelectors is one of each selector class, closed at the end of the test.
func rvSelectors(t *testing.T) []pysock.Selector {
	t.Helper()
	es, err := pysock.NewEpollSelector()
	if err != nil {
		t.Fatal(err)
	}
	out := []pysock.Selector{pysock.NewSelectSelector(), pysock.NewPollSelector(), es}
	t.Cleanup(func() {
		for _, s := range out {
			s.Close()
		}
	})
	return out
}

// rvPair is a connected AF_UNIX pair, closed at the end of the test.
func rvPair(t *testing.T) (*pysock.Socket, *pysock.Socket) {
	t.Helper()
	a, b := pair(t)
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// rvWithin runs f and fails the test if it has not returned within d (a
// watchdog against hangs).
func rvWithin(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	if _, ok := within(d, f); !ok {
		t.Fatalf("call did not return within %v", d)
	}
}

// select.select checks that no list has more than FD_SETSIZE entries
// (seq2set: "too many file descriptors in select()"), duplicates counted.
//
//	>>> a, b = socket.socketpair()
//	>>> len(select.select([], [a]*1024, [], 0)[1])
//	1024
//	>>> select.select([a]*1025, [], [], 0)
//	ValueError: too many file descriptors in select()
//	>>> select.select([], [a]*1025, [], 0)
//	ValueError: too many file descriptors in select()
func TestSelectTooManyFileDescriptors(t *testing.T) {
	a, _ := rvPair(t)
	list := func(n int) []any {
		l := make([]any, n)
		for i := range l {
			l[i] = a
		}
		return l
	}
	const want = "ValueError: too many file descriptors in select()"
	rvWithin(t, 5*time.Second, func() {
		if _, w, _, err := pysock.Select(nil, list(1024), nil, 0); err != nil || len(w) != 1024 {
			t.Errorf("Select(nil, [a]*1024, nil, 0): %d ready, %v; CPython: 1024 ready", len(w), err)
		}
		_, _, _, err := pysock.Select(list(1025), nil, nil, 0)
		if got := outcomeOf(nil, err); got != want {
			t.Errorf("Select([a]*1025, nil, nil, 0) = %s; CPython: %s", got, want)
		}
		_, w, _, err := pysock.Select(nil, list(1025), nil, 0)
		if got := outcomeOf(nil, err); got != want {
			t.Errorf("Select(nil, [a]*1025, nil, 0) = %s (%d ready); CPython: %s", got, len(w), want)
		}
	})
}

// A socket closed by another thread while select() waits on it: Linux's
// select(2) reports the closed descriptor readable (and writable) at its
// next scan, here the timeout; CPython returns the socket object in the
// ready list. pysock's answer comes from a zero-timeout select(2) made
// after the wait, which sees a closed number and raises OSError(9).
//
//	a, b = socket.socketpair()
//	threading.Timer(0.2, a.close).start()
//	select.select([a], [], [], 1)
//	-> ([<socket.socket [closed] fd=-1, family=1, type=1, proto=0>], [], [])   (after 1.0 s)
//
//	s = selectors.SelectSelector(); s.register(a, selectors.EVENT_READ, "d")
//	threading.Timer(0.2, a.close).start()
//	s.select(1)
//	-> [(SelectorKey(fileobj=<socket.socket [closed] fd=-1, ...>, fd=3, events=1, data='d'), 1)]
//	s.select(0)   (the next call)
//	-> OSError: [Errno 9] Bad file descriptor
//
// (PollSelector and EpollSelector already match CPython here.)
func TestSelectSocketClosedWhileWaiting(t *testing.T) {
	t.Run("select", func(t *testing.T) {
		a, _ := rvPair(t)
		type res struct {
			r   []any
			err error
		}
		ch := make(chan res, 1)
		go func() {
			r, _, _, err := pysock.Select([]any{a}, nil, nil, 0.5)
			ch <- res{r, err}
		}()
		waitParked(t, "pysock.Select(")
		a.Close()
		select {
		case x := <-ch:
			if x.err != nil || len(x.r) != 1 || x.r[0] != any(a) {
				t.Errorf("Select([a], nil, nil, 0.5) with a closed while it waits = %s; CPython: ok [a] (the closed socket, readable)", outcomeOf(x.r, x.err))
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Select did not return within 5s")
		}
	})
	t.Run("SelectSelector", func(t *testing.T) {
		a, _ := rvPair(t)
		s := pysock.NewSelectSelector()
		defer s.Close()
		if _, err := s.Register(a, pysock.EVENT_READ, "d"); err != nil {
			t.Fatal(err)
		}
		type res struct {
			evs []pysock.SelectorEvent
			err error
		}
		ch := make(chan res, 1)
		go func() {
			evs, err := s.Select(0.5)
			ch <- res{evs, err}
		}()
		waitParked(t, "SelectSelector).Select(")
		a.Close()
		select {
		case x := <-ch:
			if x.err != nil || len(x.evs) != 1 || x.evs[0].Events != pysock.EVENT_READ || x.evs[0].Key.Data != "d" {
				t.Errorf("SelectSelector.Select(0.5) with a closed while it waits = %s; CPython: ok [(SelectorKey(fileobj=<closed a>, fd=N, events=1, data='d'), 1)]", outcomeOf(x.evs, x.err))
			}
		case <-time.After(5 * time.Second):
			t.Fatal("SelectSelector.Select did not return within 5s")
		}
	})
}

// _PollLikeSelector.select computes math.ceil(timeout * 1e3) for any
// number: an integer beyond int64 is a float of about 1e22 ms there, which
// poll() and epoll.poll() refuse. pysock's selectorTimeout reads a Go
// unsigned integer beyond int64 through asIndex and ignores its overflow
// flag, so the timeout becomes the sign (1 second): the call waits a
// second and returns [] instead of raising.
//
//	>>> selectors.PollSelector().select(2**63)
//	OverflowError: timestamp too large to convert to C _PyTime_t
//	>>> selectors.PollSelector().select(2**64-1)
//	OverflowError: timestamp too large to convert to C _PyTime_t
//	>>> selectors.EpollSelector().select(2**63)
//	OverflowError: timestamp out of range for platform time_t
//	>>> selectors.EpollSelector().select(2**64-1)
//	OverflowError: timestamp out of range for platform time_t
//
// (SelectSelector passes the value to select.select and matches.)
func TestSelectorsUnsignedTimeoutBeyondInt64(t *testing.T) {
	sels := rvSelectors(t)
	for _, c := range []struct {
		s    pysock.Selector
		name string
		want string
	}{
		{sels[1], "PollSelector", "OverflowError: timestamp too large to convert to C _PyTime_t"},
		{sels[2], "EpollSelector", "OverflowError: timestamp out of range for platform time_t"},
	} {
		for _, v := range []any{uint64(1 << 63), uint64(math.MaxUint64), uint(1 << 63)} {
			rvWithin(t, 10*time.Second, func() {
				evs, err := c.s.Select(v)
				if got := outcomeOf(evs, err); got != c.want {
					t.Errorf("%s.Select(%T(%v)) = %s; CPython: %s", c.name, v, v, got, c.want)
				}
			})
		}
	}
}

// rvSeconds is a caller's named float type: a Python float subclass.
type rvSeconds float64

// A float subclass is a number to the selectors' comparisons and to
// select.select; pysock.Select accepts a named Go float type (pyarg.Time
// reads any float kind), but the selectors' own timeout reading knows only
// float64 and float32 and raises the comparison TypeError.
//
//	>>> class F(float): pass
//	>>> for c in (selectors.SelectSelector, selectors.PollSelector, selectors.EpollSelector):
//	...     print(c().select(F(0.01)), c().select(F(-1)))
//	[] []
//	[] []
//	[] []
func TestSelectorsNamedFloatTimeout(t *testing.T) {
	names := []string{"SelectSelector", "PollSelector", "EpollSelector"}
	for i, s := range rvSelectors(t) {
		for _, v := range []rvSeconds{0.01, -1} {
			rvWithin(t, 5*time.Second, func() {
				evs, err := s.Select(v)
				if got := outcomeOf(evs, err); got != "ok []" {
					t.Errorf("%s.Select(rvSeconds(%v)) = %s; CPython (float subclass): ok []", names[i], float64(v), got)
				}
			})
		}
	}
}

// _fileobj_to_fd takes any int as it is and checks only fd < 0: a negative
// integer of any size is ValueError('Invalid file descriptor: N'). pysock
// raises OverflowError for a *big.Int below int64 before the sign check.
//
//	>>> for c in (selectors.SelectSelector, selectors.PollSelector, selectors.EpollSelector):
//	...     c().register(-2**70, 1)
//	ValueError: Invalid file descriptor: -1180591620717411303424   (all three)
func TestSelectorRegisterHugeNegativeFd(t *testing.T) {
	names := []string{"SelectSelector", "PollSelector", "EpollSelector"}
	v := new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), 70))
	const want = "ValueError: Invalid file descriptor: -1180591620717411303424"
	for i, s := range rvSelectors(t) {
		if got := outcomeOf(s.Register(v, pysock.EVENT_READ)); got != want {
			t.Errorf("%s.Register(-2**70, EVENT_READ) = %s; CPython: %s", names[i], got, want)
		}
		if n := s.GetMap().Len(); n != 0 {
			t.Errorf("%s: %d keys after a failed Register", names[i], n)
		}
	}
}

// EpollSelector.select converts its timeout (math.ceil) before it calls
// epoll.poll, which is where a closed epoll is refused: on a closed
// EpollSelector an infinite timeout is still OverflowError and NaN still
// ValueError('cannot convert float NaN to integer'). pysock checks
// closed first.
//
//	>>> s = selectors.EpollSelector(); s.close()
//	>>> s.select(float('inf'))
//	OverflowError: cannot convert float infinity to integer
//	>>> s.select(float('nan'))
//	ValueError: cannot convert float NaN to integer
//	>>> s.select(1e300)
//	ValueError: I/O operation on closed epoll object
func TestClosedEpollSelectorTimeoutOrder(t *testing.T) {
	s, err := pysock.NewEpollSelector()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, c := range []struct {
		v    float64
		want string
	}{
		{math.Inf(1), "OverflowError: cannot convert float infinity to integer"},
		{math.NaN(), "ValueError: cannot convert float NaN to integer"},
		{1e300, "ValueError: I/O operation on closed epoll object"},
	} {
		evs, err := s.Select(c.v)
		if got := outcomeOf(evs, err); got != c.want {
			t.Errorf("closed EpollSelector.Select(%v) = %s; CPython: %s", c.v, got, c.want)
		}
	}
}

// SelectSelector.close() is _BaseSelectorImpl.close: it clears _fd_to_key
// but not _readers/_writers, so a select() after close still passes the
// old descriptors to select.select: with one of them closed, that is
// OSError(9). pysock's Close clears its readers and writers, and Select
// returns [].
//
//	>>> a, b = socket.socketpair()
//	>>> s = selectors.SelectSelector()
//	>>> s.register(a, selectors.EVENT_READ)
//	>>> s.close(); a.close()
//	>>> s.select(0)
//	OSError: [Errno 9] Bad file descriptor
func TestSelectSelectorCloseKeepsDescriptors(t *testing.T) {
	a, _ := rvPair(t)
	s := pysock.NewSelectSelector()
	if _, err := s.Register(a, pysock.EVENT_READ); err != nil {
		t.Fatal(err)
	}
	s.Close()
	a.Close()
	rvWithin(t, 5*time.Second, func() {
		evs, err := s.Select(0)
		const want = "OSError: [Errno 9] Bad file descriptor"
		if got := outcomeOf(evs, err); got != want {
			t.Errorf("SelectSelector.Select(0) after Close with a registered socket closed = %s; CPython: %s", got, want)
		}
	})
}

// modify() keeps the old data when the new one is equal in Python's
// sense (data != key.data is False): 1.0 == 1 == True. pysock compares
// with Go's ==, where int 1 and float64 1.0 differ, and stores the new
// value.
//
//	>>> s.register(sock, 1, 1)
//	>>> s.modify(sock, 1, 1.0)
//	SelectorKey(fileobj=<socket.socket ...>, fd=3, events=1, data=1)
//	>>> s.modify(sock, 1, True)
//	SelectorKey(fileobj=<socket.socket ...>, fd=3, events=1, data=1)
//
// (the same for SelectSelector, PollSelector and EpollSelector)
func TestModifyDataPythonEquality(t *testing.T) {
	a, _ := rvPair(t)
	names := []string{"SelectSelector", "PollSelector", "EpollSelector"}
	for i, s := range rvSelectors(t) {
		if _, err := s.Register(a, pysock.EVENT_READ, 1); err != nil {
			t.Fatal(err)
		}
		for _, d := range []any{1.0, true} {
			k, err := s.Modify(a, pysock.EVENT_READ, d)
			if err != nil || pysock.Repr(k.Data) != "1" {
				t.Errorf("%s.Modify(a, EVENT_READ, %s) after data=1: key data %s, %v; CPython: data=1", names[i], pysock.Repr(d), pysock.Repr(k.Data), err)
			}
			if k, err := s.GetKey(a); err != nil || pysock.Repr(k.Data) != "1" {
				t.Errorf("%s.GetKey(a) after Modify(a, EVENT_READ, %s): data %s, %v; CPython: data=1", names[i], pysock.Repr(d), pysock.Repr(k.Data), err)
			}
		}
	}
}

// Too many arguments are CPython's TypeError, not silently dropped (a
// second data value dropped is data lost). pysock's variadic optional
// arguments ignore everything after the first.
//
//	>>> select.select([], [], [], 0, 1)
//	TypeError: select expected at most 4 arguments, got 5
//	>>> selectors.SelectSelector().select(0, 1)
//	TypeError: SelectSelector.select() takes from 1 to 2 positional arguments but 3 were given
//	>>> selectors.SelectSelector().register(a, 1, 'd', 'e')
//	TypeError: SelectSelector.register() takes from 3 to 4 positional arguments but 5 were given
//	>>> selectors.PollSelector().register(a, 1, 'd', 'e')
//	TypeError: _PollLikeSelector.register() takes from 3 to 4 positional arguments but 5 were given
//	>>> s = selectors.EpollSelector(); s.register(a, 1); s.modify(a, 1, 'd', 'e')
//	TypeError: _PollLikeSelector.modify() takes from 3 to 4 positional arguments but 5 were given
func TestSelectTooManyArguments(t *testing.T) {
	a, _ := rvPair(t)
	sels := rvSelectors(t)
	_, _, _, err := pysock.Select(nil, nil, nil, 0, 1)
	if got, want := outcomeOf(nil, err), "TypeError: select expected at most 4 arguments, got 5"; got != want {
		t.Errorf("Select(nil, nil, nil, 0, 1) = %s; CPython: %s", got, want)
	}
	evs, err := sels[0].Select(0, 1)
	if got, want := outcomeOf(evs, err), "TypeError: SelectSelector.select() takes from 1 to 2 positional arguments but 3 were given"; got != want {
		t.Errorf("SelectSelector.Select(0, 1) = %s; CPython: %s", got, want)
	}
	k, err := sels[0].Register(a, pysock.EVENT_READ, "d", "e")
	if got, want := outcomeOf(k, err), "TypeError: SelectSelector.register() takes from 3 to 4 positional arguments but 5 were given"; got != want {
		t.Errorf("SelectSelector.Register(a, 1, 'd', 'e') = %s; CPython: %s", got, want)
	}
	k, err = sels[1].Register(a, pysock.EVENT_READ, "d", "e")
	if got, want := outcomeOf(k, err), "TypeError: _PollLikeSelector.register() takes from 3 to 4 positional arguments but 5 were given"; got != want {
		t.Errorf("PollSelector.Register(a, 1, 'd', 'e') = %s; CPython: %s", got, want)
	}
	if _, err := sels[2].Register(a, pysock.EVENT_READ); err != nil {
		t.Fatal(err)
	}
	k, err = sels[2].Modify(a, pysock.EVENT_READ, "d", "e")
	if got, want := outcomeOf(k, err), "TypeError: _PollLikeSelector.modify() takes from 3 to 4 positional arguments but 5 were given"; got != want {
		t.Errorf("EpollSelector.Modify(a, 1, 'd', 'e') = %s; CPython: %s", got, want)
	}
}

// _fileobj_to_fd keeps an int file object as the fd itself: for True the
// key's fd is True and prints so.
//
//	>>> selectors.PollSelector().register(True, selectors.EVENT_WRITE)
//	SelectorKey(fileobj=True, fd=True, events=2, data=None)
func TestSelectorKeyBoolFd(t *testing.T) {
	s := pysock.NewPollSelector()
	defer s.Close()
	k, err := s.Register(true, pysock.EVENT_WRITE)
	const want = "ok SelectorKey(fileobj=True, fd=True, events=2, data=None)"
	if got := outcomeOf(k, err); got != want {
		t.Errorf("PollSelector.Register(True, EVENT_WRITE) = %s; CPython: %s", got, want)
	}
}
