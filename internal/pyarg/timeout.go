package pyarg

import (
	"math"
	"reflect"
	"time"

	pyerr "github.com/pysock/pysock/errors"
)

// Time is CPython's _PyTime_FromSecondsObject (unit 1e9) and
// _PyTime_FromMillisecondsObject (unit 1e6) with _PyTime_ROUND_TIMEOUT: an
// integer or float count of units as nanoseconds, rounded away from zero.
// A time.Duration is taken as is. Anything else is NotInteger's
// *pyerr.TypeError, which callers may replace with their own text, as
// CPython's callers do (see TimeArg).
func Time(v any, unit int64) (int64, error) {
	var f float64
	switch x := v.(type) {
	case time.Duration:
		return int64(x), nil
	case float64:
		f = x
	case float32:
		f = float64(x)
	default:
		if n, ok, over := Index(v); ok {
			if over || n > math.MaxInt64/unit || n < math.MinInt64/unit {
				return 0, pyerr.NewOverflowError("timestamp too large to convert to C _PyTime_t")
			}
			return n * unit, nil
		}
		rv := reflect.ValueOf(v)
		if k := rv.Kind(); k != reflect.Float32 && k != reflect.Float64 {
			return 0, NotInteger(v)
		}
		f = rv.Float()
	}
	if math.IsNaN(f) {
		return 0, pyerr.NewValueError("Invalid value NaN (not a number)")
	}
	d := f * float64(unit)
	if d >= 0 {
		d = math.Ceil(d)
	} else {
		d = math.Floor(d)
	}
	if !(d >= math.MinInt64 && d < -math.MinInt64) {
		return 0, pyerr.NewOverflowError("timestamp out of range for platform time_t")
	}
	return int64(d), nil
}

// TimeArg is Time for callers whose TypeError has its own text, as the
// select module's: "timeout must be a float or None".
func TimeArg(v any, unit int64, typeMsg string) (int64, error) {
	ns, err := Time(v, unit)
	if _, ok := err.(*pyerr.TypeError); ok {
		return 0, pyerr.NewTypeError(typeMsg)
	}
	return ns, err
}

// SocketTimeout is CPython's socket_parse_timeout (settimeout,
// setdefaulttimeout, create_connection): None (-1), or a non-negative
// number of seconds as nanoseconds.
func SocketTimeout(v any) (int64, error) {
	if IsNone(v) {
		return -1, nil
	}
	ns, err := Time(v, 1e9)
	if err != nil {
		return 0, err
	}
	if ns < 0 {
		return 0, pyerr.NewValueError("Timeout value out of range")
	}
	return ns, nil
}

// PollTimeout is the timeout conversion of select.poll().poll(timeout):
// None is -1 (wait forever); otherwise _PyTime_FromMillisecondsObject,
// then milliseconds rounded away from zero (_PyTime_ROUND_TIMEOUT), which
// must fit a C int. ns is the timeout in nanoseconds (negative: wait
// forever).
func PollTimeout(v any) (ms int, ns int64, err error) {
	if IsNone(v) {
		return -1, -1, nil
	}
	ns, err = TimeArg(v, 1e6, "timeout must be an integer or None")
	if err != nil {
		return 0, 0, err
	}
	m := CeilDiv(ns, 1e6)
	if ns < 0 {
		m = -CeilDiv(-ns, 1e6)
	}
	if m < math.MinInt32 || m > math.MaxInt32 {
		return 0, 0, pyerr.NewOverflowError("timeout is too large")
	}
	return int(m), ns, nil
}

// CeilDiv divides rounding toward +infinity, as _PyTime_ROUND_CEILING.
func CeilDiv(n, d int64) int64 {
	q := n / d
	if n%d > 0 {
		q++
	}
	return q
}
