package pysock

import (
	"fmt"
	"strconv"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
)

// Tuple is a Python tuple, for passing addresses the way Python code does:
// s.Bind(pysock.Tuple{"127.0.0.1", 0}). Typed addresses (InetAddr,
// Inet6Addr, UnixAddr) are accepted too.
type Tuple = pyrepr.Tuple

// The argument converters live in internal/pyarg; these wrappers keep the
// names the rest of the package (and the files being rewritten in
// parallel) call.

// pyTypeName is type(v).__name__ for the Go value a caller passed in
// Python's place (pyarg.TypeName).
func pyTypeName(v any) string { return pyarg.TypeName(v) }

// errNotInteger is Python's TypeError for a value without __index__.
func errNotInteger(v any) error { return pyarg.NotInteger(v) }

// asIndex is Python's operator.index(v) (pyarg.Index): ok is false for a
// non-integer; overflow is true beyond int64 (n is then the sign).
func asIndex(v any) (n int64, ok, overflow bool) { return pyarg.Index(v) }

// asCInt is CPython's "i" format (pyarg.CInt).
func asCInt(v any) (int, error) { return pyarg.CInt(v) }

// cInt is the "i" format's range check of an int already read (pyarg.CIntRange).
func cInt(n int) (int, error) { return pyarg.CIntRange(n) }

// clinicInt is an Argument Clinic "int" parameter (pyarg.ClinicInt).
func clinicInt(v any) (int, error) { return pyarg.ClinicInt(v) }

// cInts is cInt for several arguments, in order.
func cInts(ns ...int) error {
	for _, n := range ns {
		if _, err := cInt(n); err != nil {
			return err
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// Bytes is a []byte that Repr prints as Python's bytes: b'...'.
type Bytes = pyrepr.Bytes

// Repr is Python's repr() for the values a port prints: strings ('...'),
// Bytes (b'...'), ints, floats, None (nil), bools, Tuple, []any, addresses,
// sockets and errors. It is what "{!r}".format(v) and "%r" % v print.
func Repr(v any) string { return pyrepr.Repr(v) }

// Str is Python's str() for the same values: a string prints unquoted,
// everything else as its repr. It is what print(v) and "{}".format(v)
// print.
func Str(v any) string { return pyrepr.Str(v) }

// The TypeErrors of a call with the wrong number of arguments, in the
// words CPython prints them.

// errTooManyArgs is the TypeError of a PyArg_ParseTuple call with too many
// arguments ("argument" for a most of 1, as getargs.c prints it).
func errTooManyArgs(caller string, most, given int) error {
	return pyerr.NewTypeError(fmt.Sprintf("%s() takes at most %d %s (%d given)", caller, most, plural(most, "argument"), given))
}

// errArgCount is the TypeError of a PyArg_ParseTuple call whose format
// takes exactly want arguments.
func errArgCount(caller string, want, given int) error {
	return pyerr.NewTypeError(fmt.Sprintf("%s() takes exactly %d %s (%d given)", caller, want, plural(want, "argument"), given))
}

// plural is word with getargs.c's "s" for a count other than 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// tooManyPositional is Python's TypeError for a call of a method with
// positional parameters from least to most (self included) given more.
func tooManyPositional(qual string, least, most, given int) error {
	return pyerr.NewTypeError(fmt.Sprintf("%s() takes from %d to %d positional arguments but %d were given", qual, least, most, given))
}
