package pyerr_test

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/oracle"
)

// py runs a Python program and returns its stdout lines (the oracle for
// the expectations below).
func py(t *testing.T, prog string) []string {
	t.Helper()
	out := strings.TrimRight(string(oracle.Run(t, t.TempDir(), time.Minute, "-c", prog)), "\n")
	return strings.Split(out, "\n")
}

// "except Exception as e: print(e)" (or "except ValueError as e") prints
// str(e) of the exception raised, whatever the class named in the except
// clause. In Go that is errors.As(err, &ex) then ex.Error(): the view
// errors.As hands back must print as the error itself.
//
//	>>> try: raise ConnectionRefusedError(111, 'Connection refused')
//	... except Exception as e: print(e)
//	[Errno 111] Connection refused
//	>>> try: b'\xff'.decode('utf-8')
//	... except ValueError as e: print(e)
//	'utf-8' codec can't decode byte 0xff in position 0: invalid start byte
func TestBaseClassViewKeepsStr(t *testing.T) {
	want := py(t, `
def s(f):
    try: f()
    except Exception as e: print(str(e))
def r(e):
    raise e
s(lambda: r(OSError(111, 'Connection refused')))
s(lambda: r(OSError(2, 'No such file or directory', 'f')))
s(lambda: r(KeyError('k')))
s(lambda: r(ExceptionGroup('create_connection failed', [OSError(111, 'Connection refused'), TimeoutError('timed out')])))
s(lambda: b'\xff'.decode('utf-8'))
s(lambda: b'\xff'.decode('utf-8'))
s(lambda: 'a\u20ac'.encode('ascii'))
s(lambda: 'a\u20ac'.encode('ascii'))
import io
s(lambda: r(io.UnsupportedOperation(22, 'not readable')))
s(lambda: r(io.UnsupportedOperation(22, 'not readable')))
`)
	decode := func() error { return pyerr.NewUnicodeDecodeError("utf-8", []byte{0xff}, 0, 1, "invalid start byte") }
	asException := func(err error) (string, bool) {
		ex, ok := errors.AsType[*pyerr.Exception](err)
		if !ok {
			return "", false
		}
		return ex.Error(), true
	}
	asValueError := func(err error) (string, bool) {
		ve, ok := errors.AsType[*pyerr.ValueError](err)
		if !ok {
			return "", false
		}
		return ve.Error(), true
	}
	asUnicodeError := func(err error) (string, bool) {
		ue, ok := errors.AsType[*pyerr.UnicodeError](err)
		if !ok {
			return "", false
		}
		return ue.Error(), true
	}
	rows := []struct {
		name string
		err  error
		view func(error) (string, bool)
	}{
		{"ConnectionRefusedError as *Exception", pyerr.FromErrno(syscall.ECONNREFUSED), asException},
		{"FileNotFoundError with filename as *Exception", pyerr.NewOSError(2, "No such file or directory", "f"), asException},
		{"KeyError as *Exception", pyerr.NewKeyError("k"), asException},
		{"ExceptionGroup as *Exception", pyerr.NewExceptionGroup("create_connection failed",
			[]error{pyerr.FromErrno(syscall.ECONNREFUSED), pyerr.NewSocketTimeout()}), asException},
		{"UnicodeDecodeError as *ValueError", decode(), asValueError},
		{"UnicodeDecodeError as *UnicodeError", decode(), asUnicodeError},
		{"UnicodeEncodeError as *ValueError", pyerr.NewUnicodeEncodeError("ascii", "a\u20ac", 1, 2, "ordinal not in range(128)"), asValueError},
		{"UnicodeEncodeError as *UnicodeError", pyerr.NewUnicodeEncodeError("ascii", "a\u20ac", 1, 2, "ordinal not in range(128)"), asUnicodeError},
		{"UnsupportedOperation as *Exception", pyerr.NewUnsupportedOperation(22, "not readable"), asException},
		{"UnsupportedOperation as *ValueError", pyerr.NewUnsupportedOperation(22, "not readable"), asValueError},
	}
	if len(want) != len(rows) {
		t.Fatalf("oracle gave %d lines for %d rows: %q", len(want), len(rows), want)
	}
	for i, r := range rows {
		got, ok := r.view(fmt.Errorf("wrapped: %w", r.err))
		if !ok {
			t.Errorf("pysock did: %s: errors.As found nothing (CPython: except clause catches it, str %q)", r.name, want[i])
			continue
		}
		if got != want[i] {
			t.Errorf("pysock did: %s: Error() = %q; CPython's str(e) = %q (the error itself prints %q)", r.name, got, want[i], r.err.Error())
		}
	}
}

// A Python int is any Go integer kind (pysock/doc.go: "any Go integer kind
// (named ones and the package's enums included)"); errno constants in Go
// are syscall.Errno. OSError(errno, strerror) must pick the subclass and
// set e.errno whatever integer type carries the number.
//
//	>>> import errno
//	>>> e = OSError(errno.ECONNREFUSED, 'Connection refused'); type(e).__name__, e.errno, str(e)
//	('ConnectionRefusedError', 111, '[Errno 111] Connection refused')
//	>>> e = OSError(11, 'x', 5); type(e).__name__, e.characters_written, repr(e), str(e)
//	('BlockingIOError', 5, "BlockingIOError(11, 'x', 5)", '[Errno 11] x')
func TestOSErrorIntegerKinds(t *testing.T) {
	want := py(t, `
e = OSError(111, 'Connection refused'); print(type(e).__name__, e.errno, repr(e), str(e), sep='|')
e = OSError(11, 'x', 5); print(type(e).__name__, e.errno, repr(e), str(e), e.characters_written, sep='|')
`)
	for _, r := range []struct {
		name string
		err  pyerr.PyException
		want string
	}{
		{"NewOSError(int64(111), ...)", pyerr.NewOSError(int64(111), "Connection refused"), want[0]},
		{"NewOSError(syscall.ECONNREFUSED, ...)", pyerr.NewOSError(syscall.ECONNREFUSED, "Connection refused"), want[0]},
		{"NewOSError(uint16(111), ...)", pyerr.NewOSError(uint16(111), "Connection refused"), want[0]},
		{"NewOSError(11, \"x\", int64(5))", pyerr.NewOSError(11, "x", int64(5)), want[1]},
		{"NewOSError(int32(11), \"x\", uint8(5))", pyerr.NewOSError(int32(11), "x", uint8(5)), want[1]},
	} {
		oe, _ := errors.AsType[*pyerr.OSError](r.err)
		errno := "None"
		if oe != nil && oe.HasErrno {
			errno = fmt.Sprint(oe.Errno)
		}
		got := strings.Join([]string{r.err.ClassName(), errno, r.err.Repr(), r.err.Error()}, "|")
		if strings.Count(r.want, "|") == 4 {
			cw := "AttributeError"
			if oe != nil && oe.HasCharactersWritten {
				cw = fmt.Sprint(oe.CharactersWritten)
			}
			got += "|" + cw
		}
		if got != r.want {
			t.Errorf("pysock did: %s = %s; CPython: %s", r.name, got, r.want)
		}
	}
	if err := error(pyerr.NewOSError(int64(111), "Connection refused")); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("pysock did: errors.Is(NewOSError(int64(111), ...), syscall.ECONNREFUSED) = false")
	}
}

// GaiStrerror and HStrerror are documented as C's gai_strerror and
// hstrerror, and FromGaiCode/FromHCode build the text CPython puts in
// gaierror/herror from them (set_gaierror, set_herror in socketmodule.c).
// glibc knows more codes than the tables: EAI_INPROGRESS..EAI_IDN_ENCODE
// (-100..-105; EAI_INTR when a signal interrupts getaddrinfo) and
// NETDB_INTERNAL (-1).
//
//	>>> import ctypes; libc = ctypes.CDLL(None); libc.gai_strerror.restype = ctypes.c_char_p
//	>>> libc.gai_strerror(-104)
//	b'Interrupted by a signal'
//	>>> libc.hstrerror.restype = ctypes.c_char_p; libc.hstrerror(-1)
//	b'Resolver internal error'
func TestResolverStrerrorTables(t *testing.T) {
	gai := []int{-100, -101, -102, -103, -104, -105}
	h := []int{-1, -2}
	var prog strings.Builder
	prog.WriteString("import ctypes\nlibc = ctypes.CDLL(None)\nlibc.gai_strerror.restype = ctypes.c_char_p\nlibc.hstrerror.restype = ctypes.c_char_p\n")
	for _, c := range gai {
		fmt.Fprintf(&prog, "print(libc.gai_strerror(%d).decode())\n", c)
	}
	for _, c := range h {
		fmt.Fprintf(&prog, "print(libc.hstrerror(%d).decode())\n", c)
	}
	want := py(t, prog.String())
	for i, c := range gai {
		if got := pyerr.GaiStrerror(c); got != want[i] {
			t.Errorf("pysock did: GaiStrerror(%d) = %q; glibc gai_strerror: %q", c, got, want[i])
		}
		if got, w := pyerr.FromGaiCode(c).Error(), fmt.Sprintf("[Errno %d] %s", c, want[i]); got != w {
			t.Errorf("pysock did: FromGaiCode(%d) = %q; CPython's gaierror: %q", c, got, w)
		}
	}
	for i, c := range h {
		w := want[len(gai)+i]
		if got := pyerr.HStrerror(c); got != w {
			t.Errorf("pysock did: HStrerror(%d) = %q; glibc hstrerror: %q", c, got, w)
		}
	}
}
