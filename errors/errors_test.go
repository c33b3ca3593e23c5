package pyerr_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	pyerr "github.com/pysock/pysock/errors"
)

// asOS is errors.As for *OSError, usable on a PyException value.
func asOS(err error, target **pyerr.OSError) bool { return errors.As(err, target) }

func TestHierarchyWithErrorsAs(t *testing.T) {
	refused := error(pyerr.FromErrno(syscall.ECONNREFUSED))
	var cre *pyerr.ConnectionRefusedError
	var ce *pyerr.ConnectionError
	var oe *pyerr.OSError
	var ex *pyerr.Exception
	var be *pyerr.BlockingIOError
	if !errors.As(refused, &cre) || !errors.As(refused, &ce) || !errors.As(refused, &oe) || !errors.As(refused, &ex) {
		t.Fatalf("ConnectionRefusedError must be a ConnectionError, an OSError and an Exception")
	}
	if errors.As(refused, &be) {
		t.Fatal("ConnectionRefusedError must not be a BlockingIOError")
	}
	if oe.ClassName() != "ConnectionRefusedError" || ce.ClassName() != "ConnectionRefusedError" || ex.ClassName() != "ConnectionRefusedError" {
		t.Errorf("base-class views must keep the concrete class, got %q %q %q", oe.ClassName(), ce.ClassName(), ex.ClassName())
	}
	if oe.Errno != 111 || oe.Error() != "[Errno 111] Connection refused" {
		t.Errorf("OSError view: errno %d str %q", oe.Errno, oe.Error())
	}

	timeout := error(pyerr.NewSocketTimeout())
	var te *pyerr.TimeoutError
	if !errors.As(timeout, &te) || !errors.As(timeout, &oe) {
		t.Fatal("socket timeout must be a TimeoutError and an OSError")
	}
	if te.HasErrno || te.Error() != "timed out" || te.Repr() != "TimeoutError('timed out')" {
		t.Errorf("socket timeout: errno set=%v str=%q repr=%q", te.HasErrno, te.Error(), te.Repr())
	}
}

func TestArgumentErrorsAreNotOSErrors(t *testing.T) {
	var oe *pyerr.OSError
	var ve *pyerr.ValueError
	var ae *pyerr.ArithmeticError
	var le *pyerr.LookupError
	var ex *pyerr.Exception
	for _, err := range []error{
		pyerr.NewValueError("negative buffersize in recv"),
		pyerr.NewTypeError("x"),
		pyerr.NewOverflowError("bind(): port must be 0-65535."),
		pyerr.NewKeyError(1),
		pyerr.NewUnicodeError("u"),
		pyerr.NewMemoryError(),
	} {
		if errors.As(err, &oe) {
			t.Errorf("%v must not be an OSError", err)
		}
		if !errors.As(err, &ex) {
			t.Errorf("%v must be an Exception", err)
		}
	}
	if !errors.As(error(pyerr.NewUnicodeError("u")), &ve) || ve.ClassName() != "UnicodeError" {
		t.Error("UnicodeError must be a ValueError")
	}
	if !errors.As(error(pyerr.NewOverflowError("o")), &ae) {
		t.Error("OverflowError must be an ArithmeticError")
	}
	if !errors.As(error(pyerr.NewKeyError("k")), &le) {
		t.Error("KeyError must be a LookupError")
	}
	if errors.As(error(pyerr.NewTypeError("t")), &ve) {
		t.Error("TypeError must not be a ValueError")
	}
}

func TestGoInterop(t *testing.T) {
	eagain := error(pyerr.FromErrno(syscall.EAGAIN))
	if !errors.Is(eagain, syscall.EAGAIN) {
		t.Error("BlockingIOError(11) must match syscall.EAGAIN")
	}
	if errors.Is(eagain, os.ErrDeadlineExceeded) {
		t.Error("EAGAIN must not match os.ErrDeadlineExceeded")
	}
	var errno syscall.Errno
	if !errors.As(eagain, &errno) || errno != syscall.EAGAIN {
		t.Errorf("errors.As to syscall.Errno: %v", errno)
	}
	var ne net.Error
	if !errors.As(eagain, &ne) || ne.Timeout() {
		t.Error("BlockingIOError is a net.Error but not a timeout")
	}

	timeout := error(pyerr.NewSocketTimeout())
	if !errors.Is(timeout, os.ErrDeadlineExceeded) {
		t.Error("socket timeout must match os.ErrDeadlineExceeded")
	}
	if !errors.As(timeout, &ne) || !ne.Timeout() {
		t.Error("socket timeout must be a net.Error with Timeout() true")
	}
	etimedout := error(pyerr.FromErrno(syscall.ETIMEDOUT))
	if errors.Is(etimedout, os.ErrDeadlineExceeded) || !errors.Is(etimedout, syscall.ETIMEDOUT) {
		t.Error("ETIMEDOUT is the kernel's timeout, not a deadline")
	}

	closed := error(pyerr.FromErrnoCause(syscall.EBADF, net.ErrClosed))
	if !errors.Is(closed, net.ErrClosed) || !errors.Is(closed, syscall.EBADF) {
		t.Error("FromErrnoCause must match both the errno and the cause")
	}
	if closed.Error() != "[Errno 9] Bad file descriptor" {
		t.Errorf("str = %q", closed.Error())
	}
	if !errors.Is(pyerr.FromErrno(syscall.EACCES), os.ErrPermission) {
		t.Error("PermissionError(13) must match os.ErrPermission through syscall.Errno")
	}
	gai := error(pyerr.FromGaiCode(-2))
	if errors.As(gai, &errno) {
		t.Error("gaierror codes are not syscall errnos")
	}
	if !pyerr.IsInstance(gai, "OSError") || pyerr.IsInstance(gai, "ValueError") || pyerr.IsInstance(errors.New("x"), "OSError") {
		t.Error("IsInstance")
	}
	if gai.Error() != "[Errno -2] Name or service not known" {
		t.Errorf("gaierror str %q", gai.Error())
	}
}

func TestStrerror(t *testing.T) {
	for n, want := range map[int]string{0: "Success", 11: "Resource temporarily unavailable", 9999: "Unknown error 9999", -1: "Unknown error -1"} {
		if got := pyerr.Strerror(n); got != want {
			t.Errorf("Strerror(%d) = %q, want %q", n, got, want)
		}
	}
	if pyerr.ErrnoName(11) != "EAGAIN" {
		t.Errorf("ErrnoName(11) = %q", pyerr.ErrnoName(11))
	}
}

// TestExceptionGroup checks ExceptionGroup against CPython 3.11's rendering
// (str "msg (1 sub-exception)", the MRO) and that errors.Is/As see inside.
func TestExceptionGroup(t *testing.T) {
	refused := pyerr.FromErrno(syscall.ECONNREFUSED)
	g := pyerr.NewExceptionGroup("create_connection failed", []error{refused})
	if got, want := g.Error(), "create_connection failed (1 sub-exception)"; got != want {
		t.Errorf("str = %q, want %q", got, want)
	}
	if got, want := g.Repr(), "ExceptionGroup('create_connection failed', [ConnectionRefusedError(111, 'Connection refused')])"; got != want {
		t.Errorf("repr = %q, want %q", got, want)
	}
	if got, want := strings.Join(g.MRO(), " "), "ExceptionGroup BaseExceptionGroup Exception BaseException"; got != want {
		t.Errorf("MRO = %q, want %q", got, want)
	}
	two := pyerr.NewExceptionGroup("m", []error{refused, refused})
	if got := two.Error(); got != "m (2 sub-exceptions)" {
		t.Errorf("str = %q", got)
	}
	if !errors.Is(g, syscall.ECONNREFUSED) {
		t.Error("errors.Is(group, ECONNREFUSED) is false")
	}
	var cre *pyerr.ConnectionRefusedError
	if !errors.As(g, &cre) {
		t.Error("errors.As(group, *ConnectionRefusedError) is false")
	}
	if pyerr.IsInstance(g, "OSError") {
		t.Error("a group is not itself an OSError")
	}
}

// TestErrnoStrerrorAttrs: e.errno and e.strerror as Python prints them
// (None where unset).
func TestErrnoStrerrorAttrs(t *testing.T) {
	for _, c := range []struct {
		err             error
		errno, strerror any
	}{
		{pyerr.NewSocketTimeout(), nil, nil},
		{pyerr.FromErrno(9), 9, "Bad file descriptor"},
		{pyerr.NewOSError("x"), nil, nil},
	} {
		var oe *pyerr.OSError
		if !errors.As(c.err, &oe) || oe.ErrnoAttr() != c.errno || oe.StrerrorAttr() != c.strerror {
			t.Errorf("%v: errno %#v strerror %#v", c.err, oe.ErrnoAttr(), oe.StrerrorAttr())
		}
	}
}

// errors.AsType (Go 1.26) walks the same hierarchy as errors.As, through
// wrapping: a ConnectionRefusedError is found as each of its bases and
// not as a sibling class (pysock/doc.go shows it for TimeoutError).
func TestHierarchyWithErrorsAsType(t *testing.T) {
	refused := fmt.Errorf("dial: %w", pyerr.FromErrno(syscall.ECONNREFUSED))
	if _, ok := errors.AsType[*pyerr.ConnectionRefusedError](refused); !ok {
		t.Error("AsType[*ConnectionRefusedError] failed")
	}
	if _, ok := errors.AsType[*pyerr.ConnectionError](refused); !ok {
		t.Error("AsType[*ConnectionError] failed")
	}
	if e, ok := errors.AsType[*pyerr.OSError](refused); !ok || e.Errno != 111 || e.ClassName() != "ConnectionRefusedError" {
		t.Errorf("AsType[*OSError] = %v, %v; want errno 111 of class ConnectionRefusedError", e, ok)
	}
	if _, ok := errors.AsType[*pyerr.Exception](refused); !ok {
		t.Error("AsType[*Exception] failed")
	}
	if _, ok := errors.AsType[*pyerr.BlockingIOError](refused); ok {
		t.Error("AsType[*BlockingIOError] found a ConnectionRefusedError")
	}
	if e, ok := errors.AsType[*pyerr.TimeoutError](pyerr.NewSocketTimeout()); !ok || e.Error() != "timed out" {
		t.Errorf("AsType[*TimeoutError] of socket.timeout = %v, %v", e, ok)
	}
}
