// Package pyrepr formats Go values the way CPython's repr() and str() print
// the corresponding Python objects. It is shared by the errors package
// (exception reprs) and the socket package (address tuples, socket reprs).
package pyrepr

import (
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tuple is a Python tuple: it prints as (a, b) and a one-element tuple as (a,).
type Tuple []any

// Bytes is a Python bytes object: it prints as b'...'.
type Bytes []byte

// Reprer is implemented by values that know their own Python repr.
type Reprer interface {
	Repr() string
}

// Repr returns Python's repr() of v. Supported: nil (None), bool, every Go
// integer type (int), float32/float64 (float), string (str), Bytes and []byte
// (bytes), Tuple (tuple), []any (list), and any Reprer.
func Repr(v any) string {
	var b strings.Builder
	appendRepr(&b, v, nil)
	return b.String()
}

// Str returns Python's str() of v: strings are unquoted, an error is its
// Error() (an exception's str()), a Reprer with a String method is that
// String (the convention of this module's types: an enum's str() is its
// number, an AF_UNIX address's its path); everything else is its repr.
func Str(v any) string {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return "None" // a typed nil stands for None
	}
	switch x := v.(type) {
	case string:
		return x
	case error:
		return x.Error()
	case interface {
		Reprer
		String() string
	}:
		return x.String()
	}
	return Repr(v)
}

// appendRepr writes v's repr; open holds the lists being printed, so that
// a list that contains itself prints as [...], as Python's reprlib guard
// (Py_ReprEnter) does.
func appendRepr(b *strings.Builder, v any, open []*any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case int8, int16, int32, int64:
		b.WriteString(strconv.FormatInt(toInt64(x), 10))
	case uint, uint8, uint16, uint32, uint64, uintptr:
		b.WriteString(strconv.FormatUint(toUint64(x), 10))
	case *big.Int: // a Python int of any size; a nil one is None
		if x == nil {
			b.WriteString("None")
			return
		}
		b.WriteString(x.String())
	case float64:
		b.WriteString(Float(x))
	case float32:
		b.WriteString(Float(float64(x)))
	case string:
		b.WriteString(String(x))
	case Bytes:
		b.WriteString(BytesRepr(x))
	case []byte:
		b.WriteString(BytesRepr(x))
	case Tuple:
		b.WriteByte('(')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			appendRepr(b, e, open)
		}
		if len(x) == 1 {
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case []any:
		if len(x) > 0 {
			if slices.Contains(open, &x[0]) {
				b.WriteString("[...]")
				return
			}
			open = append(open, &x[0])
		}
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			appendRepr(b, e, open)
		}
		b.WriteByte(']')
	case Reprer:
		if isNil(v) {
			b.WriteString("None")
			return
		}
		b.WriteString(x.Repr())
	case error:
		if isNil(v) {
			b.WriteString("None")
			return
		}
		b.WriteString(x.Error())
	default:
		appendReflect(b, v, open)
	}
}

// isNil reports a typed nil pointer, which stands for None.
func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// appendReflect prints the values the type switch does not name: typed nil
// pointers and maps (None), named integer, float, string and byte-slice
// types (an int subclass prints as its value), any other slice or array as
// a list, a map as a dict (keys in the order of their reprs: a Go map
// keeps no insertion order), and a pointer as what it points to.
func appendReflect(b *strings.Builder, v any, open []*any) {
	rv := reflect.ValueOf(v)
	if len(open) > 64 { // nested deeper than any printable value: a cycle
		b.WriteString("...")
		return
	}
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Func, reflect.Chan, reflect.Interface:
		if rv.IsNil() {
			b.WriteString("None")
			return
		}
		switch rv.Kind() {
		case reflect.Pointer:
			appendRepr(b, rv.Elem().Interface(), append(open, nil))
			return
		case reflect.Map:
			type item struct{ k, v string }
			items := make([]item, 0, rv.Len())
			for it := rv.MapRange(); it.Next(); {
				var kb, vb strings.Builder
				appendRepr(&kb, it.Key().Interface(), append(open, nil))
				appendRepr(&vb, it.Value().Interface(), append(open, nil))
				items = append(items, item{kb.String(), vb.String()})
			}
			slices.SortFunc(items, func(x, y item) int { return strings.Compare(x.k, y.k) })
			b.WriteByte('{')
			for i, it := range items {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(it.k + ": " + it.v)
			}
			b.WriteByte('}')
			return
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(rv.Int(), 10))
		return
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b.WriteString(strconv.FormatUint(rv.Uint(), 10))
		return
	case reflect.Float32, reflect.Float64:
		b.WriteString(Float(rv.Float()))
		return
	case reflect.String:
		b.WriteString(String(rv.String()))
		return
	case reflect.Bool:
		if rv.Bool() {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
		return
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
			b.WriteString(BytesRepr(rv.Bytes()))
			return
		}
		b.WriteByte('[')
		for i := range rv.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			appendRepr(b, rv.Index(i).Interface(), append(open, nil))
		}
		b.WriteByte(']')
		return
	}
	b.WriteString("<unrepresentable>")
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	default:
		return v.(int64)
	}
}

func toUint64(v any) uint64 {
	switch x := v.(type) {
	case uint:
		return uint64(x)
	case uint8:
		return uint64(x)
	case uint16:
		return uint64(x)
	case uint32:
		return uint64(x)
	case uintptr:
		return uint64(x)
	default:
		return v.(uint64)
	}
}

// String returns Python's repr() of a str: single quotes unless the text
// holds a single quote and no double quote, with CPython's escapes.
func String(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(quote)
	for i := 0; i < len(s); {
		r, size := DecodeRune(s[i:])
		if IsSurrogate(r) {
			b.WriteString(`\u`)
			b.WriteString(hexN(uint32(r), 4))
			i += size
			continue
		}
		i += size
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		case r < 0x7f:
			b.WriteRune(r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			b.WriteString(`\x`)
			b.WriteString(hex2(byte(r)))
		case r <= 0xffff:
			b.WriteString(`\u`)
			b.WriteString(hexN(uint32(r), 4))
		default:
			b.WriteString(`\U`)
			b.WriteString(hexN(uint32(r), 8))
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// BytesRepr returns Python's repr() of a bytes object, e.g. b'\x00abc'.
func BytesRepr(p []byte) string {
	quote := byte('\'')
	if bytesIndex(p, '\'') && !bytesIndex(p, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.Grow(len(p) + 3)
	b.WriteString("b")
	b.WriteByte(quote)
	for _, c := range p {
		switch {
		case c == quote || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(c))
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

func bytesIndex(p []byte, c byte) bool {
	for _, x := range p {
		if x == c {
			return true
		}
	}
	return false
}

const hexDigits = "0123456789abcdef"

func hex2(c byte) string { return string([]byte{hexDigits[c>>4], hexDigits[c&0xf]}) }

func hexN(v uint32, n int) string {
	out := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = hexDigits[v&0xf]
		v >>= 4
	}
	return string(out)
}

// Float returns Python's repr() of a float: the shortest round-tripping
// digits, positional notation for exponents -4 <= e < 16 (always with a
// fractional part, as in 2.0), scientific otherwise (1e-09, 1e+16).
func Float(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // e.g. "-1.2345e+06"
	mant, expPart, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expPart)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	var out string
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		sign := "+"
		if exp < 0 {
			sign = "-"
			exp = -exp
		}
		es := strconv.Itoa(exp)
		if len(es) < 2 {
			es = "0" + es
		}
		out = m + "e" + sign + es
	} else if exp < 0 {
		out = "0." + strings.Repeat("0", -exp-1) + digits
	} else {
		point := exp + 1
		if len(digits) <= point {
			out = digits + strings.Repeat("0", point-len(digits)) + ".0"
		} else {
			out = digits[:point] + "." + digits[point:]
		}
	}
	if neg {
		out = "-" + out
	}
	return out
}

// DecodeRune is utf8.DecodeRuneInString with the two readings that make
// every Go string a Python str: an encoded surrogate (ED A0..BF 80..BF,
// what Python's 'surrogatepass' writes) is that surrogate, and any other
// byte that is not UTF-8 is U+DC00+byte, as 'surrogateescape' decodes it.
func DecodeRune(s string) (rune, int) {
	r, size := utf8.DecodeRuneInString(s)
	if r != utf8.RuneError || size != 1 {
		return r, size
	}
	if len(s) >= 3 && s[0] == 0xed && s[1] >= 0xa0 && s[1] <= 0xbf && s[2] >= 0x80 && s[2] <= 0xbf {
		return 0xd000 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), 3
	}
	return 0xdc00 | rune(s[0]), 1
}

// Runes is the Python str a Go string stands for (see DecodeRune), as
// code points.
func Runes(s string) []rune {
	out := make([]rune, 0, len(s))
	for i := 0; i < len(s); {
		r, size := DecodeRune(s[i:])
		out = append(out, r)
		i += size
	}
	return out
}

// IsSurrogate reports whether r is a UTF-16 surrogate, a code point a
// Python str can hold and UTF-8 cannot encode.
func IsSurrogate(r rune) bool { return r >= 0xd800 && r <= 0xdfff }
