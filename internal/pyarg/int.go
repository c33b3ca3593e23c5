package pyarg

import (
	"fmt"
	"math"
	"math/big"
	"reflect"

	pyerr "github.com/pysock/pysock/errors"
)

// Index is operator.index(v) (PyNumber_Index) for the integer-like Go
// values: every integer kind, named ones included, bool and *big.Int.
// ok is false for anything else (a typed nil *big.Int is None). When the
// value does not fit an int64, over is true and n is its sign (+1 or -1).
func Index(v any) (n int64, ok, over bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true, false
	case int64:
		return x, true, false
	case int32:
		return int64(x), true, false
	case bool:
		if x {
			return 1, true, false
		}
		return 0, true, false
	case *big.Int:
		if x == nil {
			return 0, false, false
		}
		if x.IsInt64() {
			return x.Int64(), true, false
		}
		return int64(x.Sign()), true, true
	case nil, string, float64, []byte:
		return 0, false, false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true, false
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return 1, true, true
		}
		return int64(u), true, false
	case reflect.Bool:
		if rv.Bool() {
			return 1, true, false
		}
		return 0, true, false
	}
	return 0, false, false
}

// NotInteger is PyNumber_Index's TypeError for a value without __index__.
func NotInteger(v any) error {
	return pyerr.NewTypeError(fmt.Sprintf("'%s' object cannot be interpreted as an integer", TypeName(v)))
}

// index is Index with NotInteger's TypeError for a non-integer.
func index(v any) (n int64, over bool, err error) {
	n, ok, over := Index(v)
	if !ok {
		return 0, false, NotInteger(v)
	}
	return n, over, nil
}

// CLong is PyLong_AsLong after PyNumber_Index (the "l" format, and
// socket.setblocking): any integer that fits a C long.
func CLong(v any) (int64, error) {
	n, over, err := index(v)
	if err != nil {
		return 0, err
	}
	if over {
		return 0, pyerr.NewOverflowError("Python int too large to convert to C long")
	}
	return n, nil
}

// CInt is the "i" format of PyArg_Parse: a C long first, then the C int
// range with its own texts.
func CInt(v any) (int, error) {
	n, err := CLong(v)
	if err != nil {
		return 0, err
	}
	return CIntRange(n)
}

// CIntRange is the range check of the "i" format for an integer already
// read as a C long.
func CIntRange[T int | int64](n T) (int, error) {
	if int64(n) > math.MaxInt32 {
		return 0, pyerr.NewOverflowError("signed integer is greater than maximum")
	}
	if int64(n) < math.MinInt32 {
		return 0, pyerr.NewOverflowError("signed integer is less than minimum")
	}
	return int(n), nil
}

// ClinicInt is Argument Clinic's int converter (_PyLong_AsInt): any value
// outside a C int, however large, has one message.
func ClinicInt(v any) (int, error) {
	n, over, err := index(v)
	if err != nil {
		return 0, err
	}
	if over || n != int64(int32(n)) {
		return 0, errCIntTooLarge()
	}
	return int(n), nil
}

func errCIntTooLarge() error {
	return pyerr.NewOverflowError("Python int too large to convert to C int")
}

// SsizeT is the "n" format and Argument Clinic's Py_ssize_t converter
// (PyNumber_Index, then PyLong_AsSsize_t).
func SsizeT(v any) (int, error) {
	n, over, err := index(v)
	if err != nil {
		return 0, err
	}
	if over {
		return 0, pyerr.NewOverflowError("Python int too large to convert to C ssize_t")
	}
	return int(n), nil
}

// UnsignedShort is Argument Clinic's unsigned_short(bitwise=False)
// converter (_PyLong_UnsignedShort_Converter), as poll.register's
// eventmask uses it; CPython 3.11's TypeError has no type name.
func UnsignedShort(v any) (uint16, error) {
	n, ok, over := Index(v)
	switch {
	case !ok:
		return 0, pyerr.NewTypeError("an integer is required")
	case n < 0:
		return 0, pyerr.NewValueError("value must be positive")
	case over && BigOf(v).BitLen() > 64:
		return 0, pyerr.NewOverflowError("Python int too large to convert to C unsigned long")
	case over || n > math.MaxUint16:
		return 0, pyerr.NewOverflowError("Python int too large for C unsigned short")
	}
	return uint16(n), nil
}

// UnsignedIntBitwise is Argument Clinic's unsigned_int(bitwise=True)
// converter (PyLong_AsUnsignedLongMask): any integer, truncated to 32 bits.
func UnsignedIntBitwise(v any) (uint32, error) {
	n, over, err := index(v)
	if err != nil {
		return 0, err
	}
	if over {
		m := new(big.Int).And(BigOf(v), big.NewInt(math.MaxUint32))
		return uint32(m.Uint64()), nil
	}
	return uint32(n), nil
}

// UnsignedLongLongMask is the "K" format (PyLong_AsUnsignedLongLongMask):
// the low 64 bits of any integer, two's complement, no range check; ok is
// false for a non-integer.
func UnsignedLongLongMask(v any) (uint64, bool) {
	n, ok, over := Index(v)
	if !ok || !over {
		return uint64(n), ok
	}
	m := new(big.Int).And(BigOf(v), new(big.Int).SetUint64(math.MaxUint64))
	return m.Uint64(), true
}

// BigOf is the value of an integer-like v (see Index) as a *big.Int, for
// the rare values beyond int64; nil when v is not integer-like.
func BigOf(v any) *big.Int {
	if b, ok := v.(*big.Int); ok {
		return b
	}
	n, ok, over := Index(v)
	switch {
	case !ok:
		return nil
	case over:
		return new(big.Int).SetUint64(reflect.ValueOf(v).Uint())
	}
	return big.NewInt(n)
}

// IsExactInt is PyLong_CheckExact: an integer of a predeclared Go type or
// a *big.Int, not a named type (a Python int subclass or IntEnum) nor a
// bool.
func IsExactInt(v any) bool {
	if _, isBool := v.(bool); isBool || IsNone(v) {
		return false
	}
	if _, ok, _ := Index(v); !ok {
		return false
	}
	if _, isBig := v.(*big.Int); isBig {
		return true
	}
	t := reflect.TypeOf(v)
	return t.PkgPath() == "" && t.Kind() != reflect.Bool
}

// FloatToInt is PyLong_FromDouble's refusal, as math.ceil and int() raise
// it: OverflowError for an infinity, ValueError for NaN; nil otherwise.
func FloatToInt(f float64) error {
	switch {
	case math.IsInf(f, 0):
		return pyerr.NewOverflowError("cannot convert float infinity to integer")
	case math.IsNaN(f):
		return pyerr.NewValueError("cannot convert float NaN to integer")
	}
	return nil
}
