package pyarg

import (
	"fmt"
	"reflect"
	"strings"

	pyerr "github.com/pysock/pysock/errors"
)

// AsStr reports whether v is a Python str: a string or a named string type.
func AsStr(v any) (string, bool) {
	if s, ok := v.(string); ok {
		return s, true
	}
	if v == nil {
		return "", false
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}

// Str is the "s" format of PyArg_Parse: a str without NUL characters. fn
// and argn name the argument in the TypeError, as CPython does:
// "inet_aton() argument 1 must be str, not bytes".
func Str(fn string, argn int, v any) (string, error) {
	s, ok := AsStr(v)
	if !ok {
		name := TypeName(v)
		if IsNone(v) {
			name = "None" // getargs.c's converterr names None itself
		}
		return "", pyerr.NewTypeError(fmt.Sprintf("%s() argument %d must be str, not %s", fn, argn, name))
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", pyerr.NewValueError("embedded null character")
	}
	return s, nil
}

// StrOrBytes accepts what CPython's "et" format, idna_converter and
// PyUnicode_FSConverter accept: a str (isStr true) or a bytes-like object,
// as text. ok is false for anything else; the caller words the TypeError.
func StrOrBytes(v any) (s string, isStr, ok bool) {
	if s, ok := AsStr(v); ok {
		return s, true, true
	}
	if b, ok := Buffer(v); ok {
		return string(b), false, true
	}
	return "", false, false
}
