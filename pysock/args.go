package pysock

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyrepr"
)

// Tuple is a Python tuple, for passing addresses the way Python code does:
// s.Bind(pysock.Tuple{"127.0.0.1", 0}). Typed addresses (InetAddr,
// Inet6Addr, UnixAddr) are accepted too.
type Tuple = pyrepr.Tuple

// pyTypeName is type(v).__name__ for the Go value a caller passed in
// Python's place.
func pyTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case string:
		return "str"
	case float32, float64:
		return "float"
	case bool:
		return "bool"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr, *big.Int:
		return "int"
	case []byte, pyrepr.Bytes:
		return "bytes"
	case Tuple:
		return "tuple"
	case []any:
		return "list"
	case map[any]any:
		return "dict"
	}
	return reflect.TypeOf(v).String()
}

// errNotInteger is Python's TypeError for a value without __index__.
func errNotInteger(v any) error {
	return pyerr.NewTypeError(fmt.Sprintf("'%s' object cannot be interpreted as an integer", pyTypeName(v)))
}

// asIndex is Python's operator.index(v) for the integer-like Go values:
// every integer type, *big.Int (Python's unbounded int) and bool. ok is false for anything else; overflow is
// true for an unsigned value beyond int64.
func asIndex(v any) (n int64, ok, overflow bool) {
	switch x := v.(type) {
	case bool:
		if x {
			return 1, true, false
		}
		return 0, true, false
	case int:
		return int64(x), true, false
	case int8:
		return int64(x), true, false
	case int16:
		return int64(x), true, false
	case int32:
		return int64(x), true, false
	case int64:
		return x, true, false
	case uint8:
		return int64(x), true, false
	case uint16:
		return int64(x), true, false
	case uint32:
		return int64(x), true, false
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), true, false
		}
		return 0, true, true
	case uint, uint64, uintptr:
		u := reflect.ValueOf(x).Uint()
		if u > math.MaxInt64 {
			return 0, true, true
		}
		return int64(u), true, false
	}
	return 0, false, false
}

// asCInt converts an integer argument the way CPython's "i" format does:
// TypeError for non-integers, OverflowError outside C int.
func asCInt(v any) (int, error) {
	n, ok, over := asIndex(v)
	if !ok {
		return 0, errNotInteger(v)
	}
	if over {
		return 0, pyerr.NewOverflowError("Python int too large to convert to C long")
	}
	return cInt(int(n))
}

// cInt is CPython's "i" argument conversion of an int already in range of
// Go's int: a C int, or OverflowError with CPython's text.
func cInt(n int) (int, error) {
	if n > math.MaxInt32 {
		return 0, pyerr.NewOverflowError("signed integer is greater than maximum")
	}
	if n < math.MinInt32 {
		return 0, pyerr.NewOverflowError("signed integer is less than minimum")
	}
	return n, nil
}

// clinicInt is an Argument Clinic "int" parameter (CPython's
// _PyLong_AsInt): any value outside a C int, however large, has one
// message.
func clinicInt(v any) (int, error) {
	n, ok, over := asIndex(v)
	if !ok {
		return 0, errNotInteger(v)
	}
	if over || n != int64(int32(n)) {
		return 0, pyerr.NewOverflowError("Python int too large to convert to C int")
	}
	return int(n), nil
}

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
