package pyarg

import (
	"math/big"
	"reflect"

	"github.com/pysock/pysock/internal/pyrepr"
)

// IsNone reports whether v stands for Python's None: nil, or a typed nil
// pointer, map, slice of non-bytes, func, chan or interface value (a Go
// nil that would panic when used).
func IsNone(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case int, int64, float64, string, bool, []byte, pyrepr.Bytes:
		return false
	case *big.Int:
		return x == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

// TypeName is type(v).__name__ for the Go value a caller passed in
// Python's place. Named integer types print their own name, as an IntEnum
// or int subclass does in Python (AddressFamily, port); typed nil pointers
// are None.
func TypeName(v any) string {
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
		if IsNone(v) {
			return "NoneType"
		}
		return "int"
	case []byte, pyrepr.Bytes:
		return "bytes"
	case pyrepr.Tuple:
		return "tuple"
	case []any:
		return "list"
	case map[any]any:
		return "dict"
	}
	if IsNone(v) {
		return "NoneType"
	}
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer && t.Name() == "" {
		t = t.Elem() // *Socket is a socket object: its class is Socket
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return t.Name()
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytes"
		}
	}
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}
