package pysock

import (
	"sync/atomic"
	"time"

	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
)

// Timeout is a socket timeout as Python reports it from gettimeout() and
// getdefaulttimeout(): None (blocking mode), 0.0 (non-blocking mode) or a
// positive number of seconds (timeout mode). It is stored in nanoseconds,
// rounded up, as CPython stores it.
type Timeout struct {
	ns int64 // < 0: None
}

// None is the blocking-mode timeout, Python's None.
var None = Timeout{ns: -1}

// IsNone reports whether the timeout is None (blocking mode).
func (t Timeout) IsNone() bool { return t.ns < 0 }

// Seconds returns the timeout in seconds as Python's float; 0 for None.
func (t Timeout) Seconds() float64 {
	if t.ns <= 0 {
		return 0
	}
	if t.ns%1e9 == 0 {
		return float64(t.ns / 1e9)
	}
	return float64(t.ns) / 1e9
}

// Duration returns the timeout as a Go duration; ok is false for None.
func (t Timeout) Duration() (d time.Duration, ok bool) {
	if t.ns < 0 {
		return 0, false
	}
	return time.Duration(t.ns), true
}

// String prints like Python: None, 0.0, 2.5, 1e-09.
func (t Timeout) String() string {
	if t.ns < 0 {
		return "None"
	}
	return pyrepr.Float(t.Seconds())
}

// Repr is the same as String.
func (t Timeout) Repr() string { return t.String() }

// parseTimeout is CPython's socket_parse_timeout (pyarg.SocketTimeout):
// None (-1), or a non-negative number of seconds as nanoseconds. A Timeout
// is taken as is.
func parseTimeout(v any) (int64, error) {
	if t, ok := v.(Timeout); ok {
		return t.ns, nil
	}
	return pyarg.SocketTimeout(v)
}

// timeFromObject is CPython's _PyTime_FromSecondsObject (unit 1e9) and
// _PyTime_FromMillisecondsObject (unit 1e6) (pyarg.Time); a Timeout is
// taken as is.
func timeFromObject(v any, unit int64) (int64, error) {
	if t, ok := v.(Timeout); ok {
		return t.ns, nil
	}
	return pyarg.Time(v, unit)
}

// timeoutArg is timeFromObject for the select-module calls, whose
// TypeError has its own text (pyarg.TimeArg).
func timeoutArg(v any, unit int64, typeMsg string) (int64, error) {
	if t, ok := v.(Timeout); ok {
		return t.ns, nil
	}
	return pyarg.TimeArg(v, unit, typeMsg)
}

// defaultTimeout is the module default (setdefaulttimeout), in ns; -1 None.
var defaultTimeout atomic.Int64

func init() { defaultTimeout.Store(-1) }

// SetDefaultTimeout is socket.setdefaulttimeout(timeout): the timeout new
// sockets start with. timeout is nil (None), an integer or float of
// seconds, a time.Duration or a Timeout; bad values give CPython's errors.
func SetDefaultTimeout(timeout any) error {
	ns, err := parseTimeout(timeout)
	if err != nil {
		return err
	}
	defaultTimeout.Store(ns)
	return nil
}

// GetDefaultTimeout is socket.getdefaulttimeout(): None unless
// SetDefaultTimeout was called.
func GetDefaultTimeout() Timeout { return Timeout{ns: defaultTimeout.Load()} }

// SetTimeout is socket.settimeout(value): nil (None) for blocking mode, 0
// for non-blocking mode, a positive number of seconds for timeout mode.
// value may be an integer, a float, a bool, a time.Duration or a Timeout.
// The kernel's O_NONBLOCK is set for non-blocking and timeout modes and
// cleared for blocking mode, as CPython does, once the socket's number has
// been given out (before, it stays set: see the package documentation). On a closed socket the new
// value is stored and then OSError(9) is returned, as in CPython.
func (s *Socket) SetTimeout(value any) error {
	s = s.orClosed()
	ns, err := parseTimeout(value)
	if err != nil {
		return err
	}
	return s.setMode(ns)
}

// GetTimeout is socket.gettimeout() (and the socket.timeout attribute).
func (s *Socket) GetTimeout() Timeout {
	s = s.orClosed()
	return Timeout{ns: s.timeout.Load()}
}

// SetBlocking is socket.setblocking(flag): a true flag is settimeout(None),
// a false one settimeout(0.0). flag is a bool or an integer; anything else
// is CPython's TypeError.
func (s *Socket) SetBlocking(flag any) error {
	s = s.orClosed()
	n, err := pyarg.CLong(flag) // PyLong_AsLong: beyond C long is OverflowError
	if err != nil {
		return err
	}
	if n != 0 {
		return s.setMode(-1)
	}
	return s.setMode(0)
}

// GetBlocking is socket.getblocking(): false only in non-blocking mode
// (timeout 0.0); timeout mode counts as blocking, as in Python.
func (s *Socket) GetBlocking() bool {
	s = s.orClosed()
	return s.timeout.Load() != 0
}

// setMode stores the timeout and sets the kernel flag to match, as CPython's
// internal_setblocking does (the value is stored first, even on failure).
func (s *Socket) setMode(ns int64) error {
	if s == closedNil {
		return errClosed() // nothing to store: a nil *Socket has no state
	}
	s.timeout.Store(ns)
	h, err := s.handle()
	if err != nil {
		return err
	}
	return h.setNonblock(ns >= 0)
}
