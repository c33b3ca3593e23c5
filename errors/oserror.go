package pyerr

import (
	"math"
	"math/big"
	"os"
	"reflect"
	"strconv"
	"syscall"

	"github.com/pysock/pysock/internal/pyrepr"
)

var (
	clsOSError                = &class{name: "OSError", base: clsException}
	clsBlockingIOError        = &class{name: "BlockingIOError", base: clsOSError}
	clsChildProcessError      = &class{name: "ChildProcessError", base: clsOSError}
	clsConnectionError        = &class{name: "ConnectionError", base: clsOSError}
	clsBrokenPipeError        = &class{name: "BrokenPipeError", base: clsConnectionError}
	clsConnectionAbortedError = &class{name: "ConnectionAbortedError", base: clsConnectionError}
	clsConnectionRefusedError = &class{name: "ConnectionRefusedError", base: clsConnectionError}
	clsConnectionResetError   = &class{name: "ConnectionResetError", base: clsConnectionError}
	clsFileExistsError        = &class{name: "FileExistsError", base: clsOSError}
	clsFileNotFoundError      = &class{name: "FileNotFoundError", base: clsOSError}
	clsInterruptedError       = &class{name: "InterruptedError", base: clsOSError}
	clsIsADirectoryError      = &class{name: "IsADirectoryError", base: clsOSError}
	clsNotADirectoryError     = &class{name: "NotADirectoryError", base: clsOSError}
	clsPermissionError        = &class{name: "PermissionError", base: clsOSError}
	clsProcessLookupError     = &class{name: "ProcessLookupError", base: clsOSError}
	clsTimeoutError           = &class{name: "TimeoutError", base: clsOSError}
	clsGaiError               = &class{name: "gaierror", base: clsOSError}
	clsHError                 = &class{name: "herror", base: clsOSError}
)

// OSError is Python's OSError, which socket.error aliases. Errno and
// Strerror are e.errno and e.strerror; HasErrno is false where Python's
// e.errno is None (the socket timeout, OSError('message')). Filename and
// Filename2 are e.filename and e.filename2 (nil for None).
type OSError struct {
	Exception
	Errno     int
	HasErrno  bool
	Strerror  string
	Filename  any
	Filename2 any
	// CharactersWritten is BlockingIOError's characters_written, valid when
	// HasCharactersWritten.
	CharactersWritten    int
	HasCharactersWritten bool
	// causes are further errors this one also is, for Go callers (net.ErrClosed).
	causes []error
	// errnoArg is args[0] when the error was built with 2 to 5 arguments
	// (CPython then sets errno and strerror, even to None).
	errnoArg     any
	pair         bool
	strerrorNone bool
}

func (e *OSError) osError() *OSError { return e }

// Error returns Python's str(e): "[Errno 11] Resource temporarily
// unavailable", "[Errno 1] a: 'file'", or the BaseException form ("timed out").
func (e *OSError) Error() string { return e.pyStr() }

func (e *OSError) pyStr() string {
	if e.Filename != nil {
		s := "[Errno " + e.errnoStr() + "] " + e.Strerror + ": " + pyrepr.Repr(e.Filename)
		if e.Filename2 != nil {
			s += " -> " + pyrepr.Repr(e.Filename2)
		}
		return s
	}
	if e.HasErrno || e.pair {
		return "[Errno " + e.errnoStr() + "] " + e.Strerror
	}
	return e.Exception.baseStr()
}

// HasStrerror reports whether e.strerror is set (not None): CPython sets it
// from the second argument whenever OSError is built with 2 to 5.
func (e *OSError) HasStrerror() bool { return e.pair && !e.strerrorNone }

// ErrnoAttr is Python's e.errno as a value to print: nil (None) when the
// exception has none (socket.timeout, OSError('msg')), else the errno
// argument (an int for the errors pysock raises).
func (e *OSError) ErrnoAttr() any {
	if e.HasErrno {
		return e.Errno
	}
	if e.pair {
		return e.errnoArg
	}
	return nil
}

// StrerrorAttr is Python's e.strerror as a value to print: nil (None) when
// unset, else the string.
func (e *OSError) StrerrorAttr() any {
	if !e.HasStrerror() {
		return nil
	}
	return e.Strerror
}

// errnoStr is str(e.errno).
func (e *OSError) errnoStr() string {
	if e.HasErrno {
		return strconv.Itoa(e.Errno)
	}
	return pyrepr.Str(e.errnoArg)
}

// Unwrap returns what this error also is for Go code: its syscall.Errno
// (for errno >= 0), os.ErrDeadlineExceeded for the errno-less TimeoutError
// (the socket timeout), and any cause it was built with (net.ErrClosed for a
// call interrupted by Close).
func (e *OSError) Unwrap() []error {
	var out []error
	if e.HasErrno && e.Errno > 0 && !e.class().isSubclass(clsGaiError) && !e.class().isSubclass(clsHError) {
		out = append(out, syscall.Errno(e.Errno))
	}
	if !e.HasErrno && e.class() == clsTimeoutError {
		out = append(out, os.ErrDeadlineExceeded)
	}
	return append(out, e.causes...)
}

// Timeout reports whether this is a TimeoutError (socket.timeout or
// ETIMEDOUT), for net.Error. A non-blocking EAGAIN (BlockingIOError) is not
// a timeout here, unlike syscall.EAGAIN.Timeout().
func (e *OSError) Timeout() bool { return e.class().isSubclass(clsTimeoutError) }

// Temporary follows syscall.Errno.Temporary, for net.Error.
//
// Deprecated: as for net.Error, Temporary is ill-defined; use Timeout or
// errors.As with a specific class.
func (e *OSError) Temporary() bool {
	if e.Timeout() {
		return true
	}
	return e.HasErrno && e.Errno > 0 && syscall.Errno(e.Errno).Temporary()
}

// As lets errors.As find this error through its Python base classes.
func (e *OSError) As(target any) bool {
	e.link(e)
	switch t := target.(type) {
	case **OSError:
		*t = e
	case **Exception:
		*t = &e.Exception
	default:
		return false
	}
	return true
}

// ConnectionError is Python's ConnectionError, the base of BrokenPipeError,
// ConnectionAbortedError, ConnectionRefusedError and ConnectionResetError.
type ConnectionError struct{ OSError }

// As lets errors.As find this error through its Python base classes.
func (e *ConnectionError) As(target any) bool {
	if t, ok := target.(**ConnectionError); ok {
		*t = e
		return true
	}
	return e.OSError.As(target)
}

// BlockingIOError is Python's BlockingIOError (EAGAIN, EWOULDBLOCK, EALREADY, EINPROGRESS).
type BlockingIOError struct{ OSError }

// ChildProcessError is Python's ChildProcessError (ECHILD).
type ChildProcessError struct{ OSError }

// BrokenPipeError is Python's BrokenPipeError (EPIPE, ESHUTDOWN).
type BrokenPipeError struct{ ConnectionError }

// ConnectionAbortedError is Python's ConnectionAbortedError (ECONNABORTED).
type ConnectionAbortedError struct{ ConnectionError }

// ConnectionRefusedError is Python's ConnectionRefusedError (ECONNREFUSED).
type ConnectionRefusedError struct{ ConnectionError }

// ConnectionResetError is Python's ConnectionResetError (ECONNRESET).
type ConnectionResetError struct{ ConnectionError }

// FileExistsError is Python's FileExistsError (EEXIST).
type FileExistsError struct{ OSError }

// FileNotFoundError is Python's FileNotFoundError (ENOENT).
type FileNotFoundError struct{ OSError }

// InterruptedError is Python's InterruptedError (EINTR).
type InterruptedError struct{ OSError }

// IsADirectoryError is Python's IsADirectoryError (EISDIR).
type IsADirectoryError struct{ OSError }

// NotADirectoryError is Python's NotADirectoryError (ENOTDIR).
type NotADirectoryError struct{ OSError }

// PermissionError is Python's PermissionError (EACCES, EPERM).
type PermissionError struct{ OSError }

// ProcessLookupError is Python's ProcessLookupError (ESRCH).
type ProcessLookupError struct{ OSError }

// TimeoutError is Python's TimeoutError, which socket.timeout aliases. The
// socket timeout is TimeoutError('timed out') with no errno (see
// NewSocketTimeout); the kernel's ETIMEDOUT is TimeoutError(110, 'Connection
// timed out').
type TimeoutError struct{ OSError }

// GaiError is Python's socket.gaierror: getaddrinfo/getnameinfo failures,
// errno a negative EAI_* code, e.g. [Errno -2] Name or service not known.
type GaiError struct{ OSError }

// HError is Python's socket.herror: gethostbyaddr-style resolver failures,
// e.g. [Errno 1] Unknown host.
type HError struct{ OSError }

// errnoClass is CPython's errnomap (Objects/exceptions.c): the OSError
// subclass that OSError(errno, …) becomes.
var errnoClass = map[syscall.Errno]*class{
	syscall.EAGAIN:       clsBlockingIOError,
	syscall.EALREADY:     clsBlockingIOError,
	syscall.EINPROGRESS:  clsBlockingIOError,
	syscall.EPIPE:        clsBrokenPipeError,
	syscall.ESHUTDOWN:    clsBrokenPipeError,
	syscall.ECHILD:       clsChildProcessError,
	syscall.ECONNABORTED: clsConnectionAbortedError,
	syscall.ECONNREFUSED: clsConnectionRefusedError,
	syscall.ECONNRESET:   clsConnectionResetError,
	syscall.EEXIST:       clsFileExistsError,
	syscall.ENOENT:       clsFileNotFoundError,
	syscall.EISDIR:       clsIsADirectoryError,
	syscall.ENOTDIR:      clsNotADirectoryError,
	syscall.EINTR:        clsInterruptedError,
	syscall.EACCES:       clsPermissionError,
	syscall.EPERM:        clsPermissionError,
	syscall.ESRCH:        clsProcessLookupError,
	syscall.ETIMEDOUT:    clsTimeoutError,
}

// wrapOSError returns the Go value of Python class c around o.
func wrapOSError(c *class, o OSError) PyException {
	e := wrapOSClass(c, o)
	oe := e.(interface{ osError() *OSError }).osError()
	oe.outer = oe
	return e
}

func wrapOSClass(c *class, o OSError) PyException {
	o.cls = c
	switch c {
	case clsBlockingIOError:
		return &BlockingIOError{o}
	case clsChildProcessError:
		return &ChildProcessError{o}
	case clsConnectionError:
		return &ConnectionError{o}
	case clsBrokenPipeError:
		return &BrokenPipeError{ConnectionError{o}}
	case clsConnectionAbortedError:
		return &ConnectionAbortedError{ConnectionError{o}}
	case clsConnectionRefusedError:
		return &ConnectionRefusedError{ConnectionError{o}}
	case clsConnectionResetError:
		return &ConnectionResetError{ConnectionError{o}}
	case clsFileExistsError:
		return &FileExistsError{o}
	case clsFileNotFoundError:
		return &FileNotFoundError{o}
	case clsInterruptedError:
		return &InterruptedError{o}
	case clsIsADirectoryError:
		return &IsADirectoryError{o}
	case clsNotADirectoryError:
		return &NotADirectoryError{o}
	case clsPermissionError:
		return &PermissionError{o}
	case clsProcessLookupError:
		return &ProcessLookupError{o}
	case clsTimeoutError:
		return &TimeoutError{o}
	case clsGaiError:
		return &GaiError{o}
	case clsHError:
		return &HError{o}
	}
	return &o
}

// parseOSArgs follows CPython's oserror_parse_args/oserror_init: with 2 to 5
// arguments, args[0] is errno, args[1] strerror, args[2] filename, args[4]
// filename2; a filename shortens e.args to its first two items.
func parseOSArgs(c *class, args []any) OSError {
	args = plainInts(args)
	o := OSError{Exception: Exception{Args: args, cls: c}}
	if len(args) < 2 || len(args) > 5 {
		return o
	}
	if n, ok := intOf(args[0]); ok && !isBool(args[0]) {
		o.Errno, o.HasErrno = n, true
	}
	o.errnoArg, o.pair, o.strerrorNone = args[0], true, args[1] == nil
	o.Strerror = pyrepr.Str(args[1])
	if len(args) >= 3 && args[2] != nil {
		if n, ok := intOf(args[2]); ok && c == clsBlockingIOError {
			o.CharactersWritten, o.HasCharactersWritten = n, true
			return o
		}
		o.Filename = args[2]
		if len(args) == 5 && args[4] != nil {
			o.Filename2 = args[4]
		}
		o.Args = args[:2:2]
	}
	return o
}

// intOf reads a Python int: any Go integer kind, named ones and
// syscall.Errno included, or a bool (True == 1 in Python).
func intOf(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case bool:
		if n {
			return 1, true
		}
		return 0, true
	case *big.Int:
		if n != nil && n.IsInt64() && n.Int64() >= math.MinInt && n.Int64() <= math.MaxInt {
			return int(n.Int64()), true
		}
		return 0, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u <= math.MaxInt {
			return int(u), true
		}
	case reflect.Bool:
		return intOf(rv.Bool())
	}
	return 0, false
}

// plainInts returns args with Go ints where they are integers of another
// kind (syscall.Errno, int64, a named type, a *big.Int within int), so
// that they print as Python's ints do; args itself is not changed.
func plainInts(args []any) []any {
	out := args
	for i, v := range args {
		switch v.(type) {
		case nil, int, string, bool:
			continue
		}
		if isBool(v) {
			continue
		}
		if n, ok := intOf(v); ok {
			if &out[0] == &args[0] {
				out = append([]any(nil), args...)
			}
			out[i] = n
		}
	}
	return out
}

// isBool reports a bool: an int in Python that prints as True or False, so
// not an errno to print as a number.
func isBool(v any) bool {
	return v != nil && reflect.ValueOf(v).Kind() == reflect.Bool
}

// NewOSError is Python's OSError(*args). As in CPython, OSError(errno,
// strerror, …) returns the subclass for errno (PEP 3151), so
// NewOSError(111, "Connection refused") is a *ConnectionRefusedError.
func NewOSError(args ...any) PyException {
	c := clsOSError
	if len(args) >= 2 && len(args) <= 5 {
		if n, ok := intOf(args[0]); ok {
			if sub, ok := errnoClass[syscall.Errno(n)]; ok {
				c = sub
			}
		}
	}
	return wrapOSError(c, parseOSArgs(c, args))
}

// Strerror is Python's os.strerror(n): glibc's message for errno n
// ("Unknown error n" for numbers it does not know).
func Strerror(n int) string {
	if n >= 0 && n < len(strerrorTable) && strerrorTable[n] != "" {
		return strerrorTable[n]
	}
	return "Unknown error " + strconv.Itoa(n)
}

// ErrnoName is Python's errno.errorcode[n] ("EAGAIN"), or "" if unknown.
func ErrnoName(n int) string { return errnoNames[n] }

// FromErrno is Python's OSError(n, os.strerror(n)) for a syscall errno: the
// error CPython raises when a socket syscall fails with n.
func FromErrno(n syscall.Errno) PyException {
	return NewOSError(int(n), Strerror(int(n)))
}

// FromErrnoCause is FromErrno(n) that also matches cause under errors.Is and
// errors.As, e.g. net.ErrClosed for a call interrupted by Close.
func FromErrnoCause(n syscall.Errno, cause error) PyException {
	e := FromErrno(n)
	if cause != nil {
		e.(interface{ osError() *OSError }).osError().causes = []error{cause}
	}
	return e
}

// newOf builds class c from args without errno remapping, as calling a
// subclass directly does in Python.
func newOf(c *class, args []any) PyException { return wrapOSError(c, parseOSArgs(c, args)) }

// NewBlockingIOError is Python's BlockingIOError(*args).
func NewBlockingIOError(args ...any) *BlockingIOError {
	return newOf(clsBlockingIOError, args).(*BlockingIOError)
}

// NewChildProcessError is Python's ChildProcessError(*args).
func NewChildProcessError(args ...any) *ChildProcessError {
	return newOf(clsChildProcessError, args).(*ChildProcessError)
}

// NewConnectionError is Python's ConnectionError(*args).
func NewConnectionError(args ...any) *ConnectionError {
	return newOf(clsConnectionError, args).(*ConnectionError)
}

// NewBrokenPipeError is Python's BrokenPipeError(*args).
func NewBrokenPipeError(args ...any) *BrokenPipeError {
	return newOf(clsBrokenPipeError, args).(*BrokenPipeError)
}

// NewConnectionAbortedError is Python's ConnectionAbortedError(*args).
func NewConnectionAbortedError(args ...any) *ConnectionAbortedError {
	return newOf(clsConnectionAbortedError, args).(*ConnectionAbortedError)
}

// NewConnectionRefusedError is Python's ConnectionRefusedError(*args).
func NewConnectionRefusedError(args ...any) *ConnectionRefusedError {
	return newOf(clsConnectionRefusedError, args).(*ConnectionRefusedError)
}

// NewConnectionResetError is Python's ConnectionResetError(*args).
func NewConnectionResetError(args ...any) *ConnectionResetError {
	return newOf(clsConnectionResetError, args).(*ConnectionResetError)
}

// NewFileExistsError is Python's FileExistsError(*args).
func NewFileExistsError(args ...any) *FileExistsError {
	return newOf(clsFileExistsError, args).(*FileExistsError)
}

// NewFileNotFoundError is Python's FileNotFoundError(*args).
func NewFileNotFoundError(args ...any) *FileNotFoundError {
	return newOf(clsFileNotFoundError, args).(*FileNotFoundError)
}

// NewInterruptedError is Python's InterruptedError(*args).
func NewInterruptedError(args ...any) *InterruptedError {
	return newOf(clsInterruptedError, args).(*InterruptedError)
}

// NewIsADirectoryError is Python's IsADirectoryError(*args).
func NewIsADirectoryError(args ...any) *IsADirectoryError {
	return newOf(clsIsADirectoryError, args).(*IsADirectoryError)
}

// NewNotADirectoryError is Python's NotADirectoryError(*args).
func NewNotADirectoryError(args ...any) *NotADirectoryError {
	return newOf(clsNotADirectoryError, args).(*NotADirectoryError)
}

// NewPermissionError is Python's PermissionError(*args).
func NewPermissionError(args ...any) *PermissionError {
	return newOf(clsPermissionError, args).(*PermissionError)
}

// NewProcessLookupError is Python's ProcessLookupError(*args).
func NewProcessLookupError(args ...any) *ProcessLookupError {
	return newOf(clsProcessLookupError, args).(*ProcessLookupError)
}

// NewTimeoutError is Python's TimeoutError(*args).
func NewTimeoutError(args ...any) *TimeoutError {
	return newOf(clsTimeoutError, args).(*TimeoutError)
}

// NewSocketTimeout is the error a socket call raises when its timeout
// expires: socket.timeout('timed out'), i.e. TimeoutError('timed out') with
// errno None. It matches os.ErrDeadlineExceeded for Go callers.
func NewSocketTimeout() *TimeoutError { return NewTimeoutError("timed out") }

// NewGaiError is Python's socket.gaierror(*args).
func NewGaiError(args ...any) *GaiError { return newOf(clsGaiError, args).(*GaiError) }

// GaiStrerror is C's gai_strerror(code) for an EAI_* code such as -2.
func GaiStrerror(code int) string {
	switch {
	case code <= 0 && -code < len(gaiStrerrorTable):
		return gaiStrerrorTable[-code]
	case code <= -100 && -code-100 < len(gaiStrerrorGNU):
		return gaiStrerrorGNU[-code-100]
	}
	return "Unknown error"
}

// FromGaiCode is the gaierror CPython raises for a getaddrinfo failure:
// gaierror(code, gai_strerror(code)), e.g. [Errno -2] Name or service not known.
func FromGaiCode(code int) *GaiError { return NewGaiError(code, GaiStrerror(code)) }

// NewHError is Python's socket.herror(*args).
func NewHError(args ...any) *HError { return newOf(clsHError, args).(*HError) }

// HStrerror is C's hstrerror(code) for an h_errno value such as 1.
func HStrerror(code int) string {
	switch {
	case code < 0:
		return hStrerrorInternal
	case code < len(hStrerrorTable):
		return hStrerrorTable[code]
	}
	return "Unknown resolver error"
}

// FromHCode is the herror CPython raises for resolver failure code:
// herror(code, hstrerror(code)), e.g. [Errno 1] Unknown host.
func FromHCode(code int) *HError { return NewHError(code, HStrerror(code)) }
