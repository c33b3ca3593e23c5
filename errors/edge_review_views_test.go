package pyerr_test

import (
	"errors"
	"math/big"
	"strings"
	"syscall"
	"testing"

	pyerr "github.com/pysock/pysock/errors"
)

// A copy of an error (v := *e, then a field changed) is an error of its
// own: its Repr and the base-class views errors.As finds in it must print
// the copy, as copy.copy(e) does in Python. Since the Exception carries
// `outer`, the copy's Exception still points at the original: Repr() of
// the copy (promoted from Exception) and its *Exception / *LookupError
// views print the original's args, filename or strerror.
//
//	>>> import copy
//	>>> c = copy.copy(TimeoutError('timed out')); c.args = ('read timed out',); repr(c)
//	"TimeoutError('read timed out')"
//	>>> c = copy.copy(KeyError('k')); c.args = ('j',); repr(c), str(c)
//	("KeyError('j')", "'j'")
//	>>> c = copy.copy(FileNotFoundError(2, 'No such file or directory')); c.filename = 'f'
//	>>> try: raise c
//	... except Exception as e: print(e)
//	[Errno 2] No such file or directory: 'f'
//	>>> c = copy.copy(ConnectionRefusedError(111, 'Connection refused')); c.strerror = 'changed'
//	>>> try: raise c
//	... except Exception as e: print(e)
//	[Errno 111] changed
func TestCopiedErrorPrintsItself(t *testing.T) {
	want := py(t, `
import copy
c = copy.copy(TimeoutError('timed out')); c.args = ('read timed out',); print(repr(c))
c = copy.copy(KeyError('k')); c.args = ('j',); print(repr(c))
c = copy.copy(KeyError('k')); c.args = ('j',)
try: raise c
except LookupError as e: print(str(e))
c = copy.copy(FileNotFoundError(2, 'No such file or directory')); c.filename = 'f'
try: raise c
except Exception as e: print(str(e))
c = copy.copy(ConnectionRefusedError(111, 'Connection refused')); c.strerror = 'changed'
try: raise c
except Exception as e: print(str(e))
`)
	type row struct {
		name string
		got  func() string
	}
	rows := []row{
		{"c := *NewSocketTimeout(); c.Args = {\"read timed out\"}; c.Repr()", func() string {
			c := *pyerr.NewSocketTimeout()
			c.Args = []any{"read timed out"}
			return c.Repr()
		}},
		{"c := *NewKeyError(\"k\"); c.Args = {\"j\"}; c.Repr()", func() string {
			c := *pyerr.NewKeyError("k")
			c.Args = []any{"j"}
			return c.Repr()
		}},
		{"c := *NewKeyError(\"k\"); c.Args = {\"j\"}; *LookupError view .Error()", func() string {
			c := *pyerr.NewKeyError("k")
			c.Args = []any{"j"}
			v, _ := errors.AsType[*pyerr.LookupError](&c)
			return v.Error()
		}},
		{"c := *FileNotFoundError; c.Filename = \"f\"; *Exception view .Error()", func() string {
			c := *pyerr.NewFileNotFoundError(2, "No such file or directory")
			c.Filename = "f"
			v, _ := errors.AsType[*pyerr.Exception](&c)
			return v.Error()
		}},
		{"c := *ConnectionRefusedError; c.Strerror = \"changed\"; *Exception view .Error()", func() string {
			c := *pyerr.FromErrno(syscall.ECONNREFUSED).(*pyerr.ConnectionRefusedError)
			c.Strerror = "changed"
			v, _ := errors.AsType[*pyerr.Exception](&c)
			return v.Error()
		}},
	}
	if len(want) != len(rows) {
		t.Fatalf("oracle gave %d lines for %d rows: %q", len(want), len(rows), want)
	}
	for i, r := range rows {
		if got := r.got(); got != want[i] {
			t.Errorf("pysock did: %s = %q; CPython (copy.copy, then the same change): %q", r.name, got, want[i])
		}
	}
}

// Structs built by users without the constructors (the package doc allows
// them: "A zero struct reports the class of the field it came from") have
// no `outer`, so their base-class views print BaseException's str of Args
// while the error itself prints its own str: the view errors.As hands back
// no longer prints as the error, which the package doc promises.
//
//	>>> e = OSError(); e.errno = 11; e.strerror = 'x'
//	>>> try: raise e
//	... except Exception as v: print(repr(str(v)))
//	'[Errno 11] x'
//	>>> try: raise KeyError('k')
//	... except LookupError as v: print(str(v))
//	'k'
func TestUserBuiltStructViews(t *testing.T) {
	want := py(t, `
e = OSError(); e.errno = 11; e.strerror = 'x'
try: raise e
except Exception as v: print(str(v))
try: raise KeyError('k')
except LookupError as v: print(str(v))
`)
	oe := &pyerr.OSError{Errno: 11, HasErrno: true, Strerror: "x"}
	ke := &pyerr.KeyError{LookupError: pyerr.LookupError{Exception: pyerr.Exception{Args: []any{"k"}}}}
	eg := &pyerr.ExceptionGroup{Message: "m", Exceptions: []error{pyerr.NewKeyError("k")}}
	for _, r := range []struct {
		name      string
		err       error
		view      func() string
		wantPrint string
	}{
		{"&OSError{Errno: 11, HasErrno: true, Strerror: \"x\"} as *Exception", oe, func() string {
			v, _ := errors.AsType[*pyerr.Exception](oe)
			return v.Error()
		}, want[0]},
		{"&KeyError{...Args: {\"k\"}} as *LookupError", ke, func() string {
			v, _ := errors.AsType[*pyerr.LookupError](ke)
			return v.Error()
		}, want[1]},
		{"&ExceptionGroup{Message: \"m\", ...} as *Exception", eg, func() string {
			v, _ := errors.AsType[*pyerr.Exception](eg)
			return v.Error()
		}, eg.Error()},
	} {
		if got := r.view(); got != r.wantPrint || got != r.err.Error() {
			t.Errorf("pysock did: %s: view prints %q; the error itself prints %q; CPython's str: %q", r.name, got, r.err.Error(), r.wantPrint)
		}
	}
}

// NewOSError's integer handling (52b428b) normalizes syscall.Errno and
// other integer kinds only in args[0] and args[2] of a 2-to-5-argument
// call, and does not read *big.Int (pysock/doc.go: "*big.Int for Python's
// unbounded int") at all. A syscall.Errno in a 1- or 6-argument OSError
// is printed by pyrepr as an error ("connection refused") where CPython
// prints the number; OSError(big 111, ...) stays a plain OSError with no
// errno; BlockingIOError(11, 'x', big 5) takes 5 as a filename and cuts
// args.
//
//	>>> import errno
//	>>> e = OSError(errno.ECONNREFUSED); str(e), repr(e)
//	('111', 'OSError(111)')
//	>>> repr(OSError(errno.ECONNREFUSED, 'x', None, None, None, 5))
//	"OSError(111, 'x', None, None, None, 5)"
//	>>> e = OSError(111, 'Connection refused'); type(e).__name__, e.errno, repr(e)
//	('ConnectionRefusedError', 111, "ConnectionRefusedError(111, 'Connection refused')")
//	>>> e = OSError(11, 'x', 5); str(e), repr(e), e.characters_written, e.filename
//	('[Errno 11] x', "BlockingIOError(11, 'x', 5)", 5, None)
func TestOSErrorIntArgsEverywhere(t *testing.T) {
	want := py(t, `
import errno
e = OSError(errno.ECONNREFUSED); print(type(e).__name__, str(e), repr(e), sep='|')
e = OSError(errno.ECONNREFUSED, 'x', None, None, None, 5); print(type(e).__name__, str(e), repr(e), sep='|')
e = OSError(111, 'Connection refused'); print(type(e).__name__, str(e), repr(e), e.errno, sep='|')
e = OSError(11, 'x', 5); print(type(e).__name__, str(e), repr(e), e.characters_written, e.filename, sep='|')
`)
	rows := []struct {
		name string
		err  pyerr.PyException
		more func(*pyerr.OSError) []string
	}{
		{"NewOSError(syscall.ECONNREFUSED)", pyerr.NewOSError(syscall.ECONNREFUSED), nil},
		{"NewOSError(syscall.ECONNREFUSED, \"x\", nil, nil, nil, 5)", pyerr.NewOSError(syscall.ECONNREFUSED, "x", nil, nil, nil, 5), nil},
		{"NewOSError(big.NewInt(111), \"Connection refused\")", pyerr.NewOSError(big.NewInt(111), "Connection refused"),
			func(o *pyerr.OSError) []string { return []string{pyStr(o.ErrnoAttr())} }},
		{"NewOSError(11, \"x\", big.NewInt(5))", pyerr.NewOSError(11, "x", big.NewInt(5)),
			func(o *pyerr.OSError) []string {
				cw := "AttributeError"
				if o.HasCharactersWritten {
					cw = pyStr(o.CharactersWritten)
				}
				return []string{cw, pyStr(o.Filename)}
			}},
	}
	if len(want) != len(rows) {
		t.Fatalf("oracle gave %d lines for %d rows: %q", len(want), len(rows), want)
	}
	for i, r := range rows {
		parts := []string{r.err.ClassName(), r.err.Error(), r.err.Repr()}
		if r.more != nil {
			oe, _ := errors.AsType[*pyerr.OSError](r.err)
			parts = append(parts, r.more(oe)...)
		}
		if got := strings.Join(parts, "|"); got != want[i] {
			t.Errorf("pysock did: %s: %s; CPython: %s", r.name, got, want[i])
		}
	}
}

// pyStr prints an attribute value as Python's str() would for the values
// used above (None, ints).
func pyStr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case *big.Int:
		if x == nil {
			return "None"
		}
		return x.String()
	case int:
		return big.NewInt(int64(x)).String()
	case string:
		return x
	}
	return "?"
}
