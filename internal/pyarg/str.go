package pyarg

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyrepr"
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
		return "", pyerr.NewTypeError(fmt.Sprintf("%s() argument %d must be str, not %s", fn, argn, ConverterTypeName(v)))
	}
	return s, StrChecks(s)
}

// StrChecks are the "s" format's checks of a value already known to be a
// str: no lone surrogate (UTF8), no NUL character.
func StrChecks(s string) error {
	if err := UTF8(s); err != nil {
		return err
	}
	if strings.IndexByte(s, 0) >= 0 {
		return pyerr.NewValueError("embedded null character")
	}
	return nil
}

// ConverterTypeName is the type name getargs.c's converters put in their
// TypeError ("must be str, not None"): TypeName, but None for None.
func ConverterTypeName(v any) string {
	if IsNone(v) {
		return "None"
	}
	return TypeName(v)
}

// UTF8 is the check of PyUnicode_AsUTF8: the Python str that s stands for
// (pyrepr.DecodeRune: an encoded surrogate, or a byte that is not UTF-8,
// is a lone surrogate) must have no surrogate, else UnicodeEncodeError
// ('utf-8', s, start, end, 'surrogates not allowed') over the first run
// of them, positions in characters.
func UTF8(s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	start := -1
	runes := pyrepr.Runes(s)
	for k, r := range runes {
		switch {
		case pyrepr.IsSurrogate(r) && start < 0:
			start = k
		case !pyrepr.IsSurrogate(r) && start >= 0:
			return errSurrogates(s, start, k)
		}
	}
	if start >= 0 {
		return errSurrogates(s, start, len(runes))
	}
	return nil
}

func errSurrogates(s string, start, end int) error {
	return pyerr.NewUnicodeEncodeError("utf-8", s, start, end, "surrogates not allowed")
}

// FirstSurrogate is the first lone surrogate of the Python str s stands
// for, if any.
func FirstSurrogate(s string) (rune, bool) {
	if utf8.ValidString(s) {
		return 0, false
	}
	for i := 0; i < len(s); {
		r, size := pyrepr.DecodeRune(s[i:])
		if pyrepr.IsSurrogate(r) {
			return r, true
		}
		i += size
	}
	return 0, false
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
