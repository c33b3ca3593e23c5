package pyarg

import (
	"fmt"
	"reflect"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyrepr"
)

// Buffer is PyObject_GetBuffer for the Go twins of Python's bytes-like
// objects: []byte, pyrepr.Bytes and every named byte-slice type. A []byte
// stands for bytearray and memoryview too (they have no Go twin of their
// own); a nil slice is an empty buffer. ok is false for anything else.
func Buffer(v any) (b []byte, ok bool) {
	switch x := v.(type) {
	case []byte:
		return x, true
	case pyrepr.Bytes:
		return x, true
	case nil, string, int, bool, float64:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
		return rv.Bytes(), true
	}
	return nil, false
}

// BytesLike is Argument Clinic's Py_buffer converter and the "y*" format:
// a bytes-like object, or TypeError('a bytes-like object is required, not
// …').
func BytesLike(v any) ([]byte, error) {
	if b, ok := Buffer(v); ok {
		return b, nil
	}
	return nil, ErrNotBytesLike(v)
}

// ErrNotBytesLike is PyObject_GetBuffer's TypeError.
func ErrNotBytesLike(v any) error {
	return pyerr.NewTypeError(fmt.Sprintf("a bytes-like object is required, not '%s'", TypeName(v)))
}
