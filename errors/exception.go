// Package pyerr is Python's exception hierarchy for sockets, as Go error
// types. Import it as pyerr:
//
//	import pyerr "github.com/pysock/pysock/errors"
//
// Every Python class is a Go struct type that embeds its Python base class,
// and "except Cls" becomes errors.As:
//
//	# Python                          // Go
//	except socket.timeout:            var te *pyerr.TimeoutError; if errors.As(err, &te) {…}
//	except BlockingIOError as e:      var be *pyerr.BlockingIOError; if errors.As(err, &be) { be.Errno … }
//	except OSError as e:              var oe *pyerr.OSError; if errors.As(err, &oe) { oe.ClassName() … }
//
// errors.As matches base classes too: a *ConnectionRefusedError is found by
// a *ConnectionError, *OSError or *Exception target, and the pointer you get
// back still reports the concrete Python class and prints as it (ClassName,
// Repr, Error: "except Exception as e: print(e)" prints str(e) of the
// error raised). Argument
// errors (TypeError, ValueError, OverflowError, …) are not OSErrors here,
// exactly as in Python.
//
// Each error prints like Python: Error() is str(e) and Repr() is repr(e),
// byte for byte. For Go callers, errno-bearing errors unwrap to their
// syscall.Errno (errors.Is(err, syscall.EAGAIN)), the socket timeout matches
// os.ErrDeadlineExceeded, and *OSError implements net.Error.
//
// Build errors with the constructors (NewOSError, FromErrno, NewTimeoutError,
// …): they record the Python class. A zero struct reports the class of the
// field it came from, not of its outer type.
package pyerr

import (
	stderrors "errors"

	"github.com/pysock/pysock/internal/pyrepr"
)

// class is a Python exception class: its name and its base.
type class struct {
	name string
	base *class
	// mro, when set, is the whole __mro__ (for classes with two bases).
	mro []string
}

var (
	clsBaseException = &class{name: "BaseException", base: nil}
	clsException     = &class{name: "Exception", base: clsBaseException}
)

// PyException is implemented by every error of this package: the parts of
// Python's BaseException protocol a port needs.
type PyException interface {
	error
	// ClassName is type(e).__name__.
	ClassName() string
	// Repr is repr(e).
	Repr() string
	// MRO lists the class names of type(e).__mro__, most derived first.
	MRO() []string
	// PyArgs is e.args.
	PyArgs() []any
}

// Exception is Python's Exception, the base of every error in this package.
// Args is e.args.
type Exception struct {
	Args []any
	cls  *class
	// outer is the error this Exception is part of, where that class's
	// str() or repr() is not BaseException's (OSError, KeyError, the
	// Unicode errors, ExceptionGroup): a base-class view (errors.As to
	// *Exception, *ValueError...) prints as the error raised, as
	// "except Exception as e: print(e)" does. Set by the constructors,
	// and by errors.As for copies and hand-built structs (see link).
	outer printer
	// view: an Exception built as another error's view (see printerOf).
	view bool
}

// printer is an error whose str() and repr() are its class's own; exc is
// the Exception it embeds.
type printer interface {
	pyStr() string
	pyRepr() string
	exc() *Exception
}

func (e *Exception) exc() *Exception { return e }

// pyRepr is BaseException's repr, which every printer but ExceptionGroup
// keeps.
func (e *Exception) pyRepr() string { return e.baseRepr() }

// printerOf is e.outer when e is still the Exception that error embeds, or
// a view built for it. A struct copied by value keeps the link to the
// original, which it no longer is, until errors.As links it again (link):
// until then it prints from its own fields.
func (e *Exception) printerOf() printer {
	if o := e.outer; o != nil && (e.view || o.exc() == e) {
		return o
	}
	return nil
}

// link makes p, the error e is embedded in, the one e's views print as.
// The As methods of those errors call it, so that a copy, or a struct
// built without a constructor, gives views that print as itself; an error
// built by a constructor is linked already, and is not written to.
func (e *Exception) link(p printer) {
	if e.outer != p {
		e.outer = p
	}
}

func (e *Exception) class() *class {
	if e.cls == nil {
		return clsException
	}
	return e.cls
}

// ClassName returns type(e).__name__, e.g. "ConnectionRefusedError".
func (e *Exception) ClassName() string { return e.class().name }

// MRO returns the names in type(e).__mro__ without "object", most derived
// first: ["TimeoutError", "OSError", "Exception", "BaseException"].
func (e *Exception) MRO() []string {
	if m := e.class().mro; m != nil {
		return append([]string(nil), m...)
	}
	var out []string
	for c := e.class(); c != nil; c = c.base {
		out = append(out, c.name)
	}
	return out
}

// PyArgs returns e.args.
func (e *Exception) PyArgs() []any { return e.Args }

// Error returns Python's str(e): for BaseException, empty with no args,
// str of the only arg, or the repr of the args tuple; for an Exception
// that is the base-class view of an OSError, a KeyError..., that class's
// str(e).
func (e *Exception) Error() string {
	if o := e.printerOf(); o != nil {
		return o.pyStr()
	}
	return e.baseStr()
}

// baseStr is BaseException's str(e).
func (e *Exception) baseStr() string {
	switch len(e.Args) {
	case 0:
		return ""
	case 1:
		return pyrepr.Str(e.Args[0])
	default:
		return pyrepr.Repr(pyrepr.Tuple(e.Args))
	}
}

// Repr returns Python's repr(e): Name('msg') for one arg, Name(a, b)
// otherwise (an ExceptionGroup's own form for its base-class view).
func (e *Exception) Repr() string {
	if o := e.printerOf(); o != nil {
		return o.pyRepr()
	}
	return e.baseRepr()
}

// baseRepr is BaseException's repr(e).
func (e *Exception) baseRepr() string {
	if len(e.Args) == 1 {
		return e.ClassName() + "(" + pyrepr.Repr(e.Args[0]) + ")"
	}
	return e.ClassName() + pyrepr.Repr(pyrepr.Tuple(e.Args))
}

// isSubclass reports whether c is target or derives from it.
func (c *class) isSubclass(target *class) bool {
	for ; c != nil; c = c.base {
		if c == target {
			return true
		}
	}
	return false
}

// IsInstance reports whether err is a PyException whose Python class is
// name or derives from it: isinstance(err, <class name>). It is meant for
// transcripts and tables; code should prefer errors.As with the Go type.
func IsInstance(err error, name string) bool {
	var pe PyException
	if !stderrors.As(err, &pe) {
		return false
	}
	for _, n := range pe.MRO() {
		if n == name {
			return true
		}
	}
	return false
}
