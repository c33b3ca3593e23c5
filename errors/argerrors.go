package pyerr

import (
	"fmt"

	"github.com/pysock/pysock/internal/pyrepr"
)

var (
	clsTypeError       = &class{name: "TypeError", base: clsException}
	clsValueError      = &class{name: "ValueError", base: clsException}
	clsUnicodeError    = &class{name: "UnicodeError", base: clsValueError}
	clsArithmeticError = &class{name: "ArithmeticError", base: clsException}
	clsOverflowError   = &class{name: "OverflowError", base: clsArithmeticError}
	clsLookupError     = &class{name: "LookupError", base: clsException}
	clsKeyError        = &class{name: "KeyError", base: clsLookupError}
	clsMemoryError     = &class{name: "MemoryError", base: clsException}
	clsRuntimeError    = &class{name: "RuntimeError", base: clsException}
	clsAttributeError  = &class{name: "AttributeError", base: clsException}
)

// As lets errors.As find any error of this package as an *Exception
// (Python's "except Exception").
func (e *Exception) As(target any) bool {
	if t, ok := target.(**Exception); ok {
		*t = e
		return true
	}
	return false
}

// TypeError is Python's TypeError: an argument of the wrong type, e.g.
// bind(): AF_INET address must be tuple, not str. It is not an OSError.
type TypeError struct{ Exception }

// ValueError is Python's ValueError: an argument of the right type and a
// wrong value, e.g. negative buffersize in recv. It is not an OSError.
type ValueError struct{ Exception }

// As lets errors.As find this error through its Python base classes.
func (e *ValueError) As(target any) bool {
	if t, ok := target.(**ValueError); ok {
		*t = e
		return true
	}
	return e.Exception.As(target)
}

// UnicodeError is Python's UnicodeError (a ValueError), e.g. an IDNA label
// too long in getaddrinfo.
type UnicodeError struct{ ValueError }

// As lets errors.As find this error through its Python base classes
// (a UnicodeDecodeError is a *UnicodeError too).
func (e *UnicodeError) As(target any) bool {
	if t, ok := target.(**UnicodeError); ok {
		*t = e
		return true
	}
	return e.ValueError.As(target)
}

// ArithmeticError is Python's ArithmeticError, the base of OverflowError.
type ArithmeticError struct{ Exception }

// As lets errors.As find this error through its Python base classes.
func (e *ArithmeticError) As(target any) bool {
	if t, ok := target.(**ArithmeticError); ok {
		*t = e
		return true
	}
	return e.Exception.As(target)
}

// OverflowError is Python's OverflowError: a number out of range, e.g.
// bind(): port must be 0-65535. It is not an OSError.
type OverflowError struct{ ArithmeticError }

// LookupError is Python's LookupError, the base of KeyError.
type LookupError struct{ Exception }

// As lets errors.As find this error through its Python base classes.
func (e *LookupError) As(target any) bool {
	if t, ok := target.(**LookupError); ok {
		*t = e
		return true
	}
	return e.Exception.As(target)
}

// KeyError is Python's KeyError, e.g. from selectors and poll objects for an
// unregistered file object. Its str() is the repr of its key.
type KeyError struct{ LookupError }

// Error returns Python's str(e): the repr of the only argument.
func (e *KeyError) Error() string { return e.pyStr() }

// As lets errors.As find this error through its Python base classes, as
// views that print as it.
func (e *KeyError) As(target any) bool {
	e.link(e)
	return e.LookupError.As(target)
}

func (e *KeyError) pyStr() string {
	if len(e.Args) == 1 {
		return pyrepr.Repr(e.Args[0])
	}
	return e.Exception.baseStr()
}

// MemoryError is Python's MemoryError, e.g. recv(2**40).
type MemoryError struct{ Exception }

// RuntimeError is Python's RuntimeError, e.g. RuntimeError('Selector is
// closed') from a closed selector's GetKey.
type RuntimeError struct{ Exception }

// AttributeError is Python's AttributeError, e.g. socketserver's
// handle_request on a server without a socket: 'MyServer' object has no
// attribute 'socket'.
type AttributeError struct{ Exception }

func exc(c *class, args []any) Exception { return Exception{Args: args, cls: c} }

// NewException is Python's Exception(*args).
func NewException(args ...any) *Exception { e := exc(clsException, args); return &e }

// NewTypeError is Python's TypeError(*args).
func NewTypeError(args ...any) *TypeError { return &TypeError{exc(clsTypeError, args)} }

// NewValueError is Python's ValueError(*args).
func NewValueError(args ...any) *ValueError { return &ValueError{exc(clsValueError, args)} }

// NewUnicodeError is Python's UnicodeError(*args).
func NewUnicodeError(args ...any) *UnicodeError {
	return &UnicodeError{ValueError{exc(clsUnicodeError, args)}}
}

// NewArithmeticError is Python's ArithmeticError(*args).
func NewArithmeticError(args ...any) *ArithmeticError {
	return &ArithmeticError{exc(clsArithmeticError, args)}
}

// NewOverflowError is Python's OverflowError(*args).
func NewOverflowError(args ...any) *OverflowError {
	return &OverflowError{ArithmeticError{exc(clsOverflowError, args)}}
}

// NewLookupError is Python's LookupError(*args).
func NewLookupError(args ...any) *LookupError { return &LookupError{exc(clsLookupError, args)} }

// NewKeyError is Python's KeyError(*args).
func NewKeyError(args ...any) *KeyError {
	e := &KeyError{LookupError{exc(clsKeyError, args)}}
	e.outer = e
	return e
}

// NewMemoryError is Python's MemoryError(*args).
func NewMemoryError(args ...any) *MemoryError { return &MemoryError{exc(clsMemoryError, args)} }

// NewRuntimeError is Python's RuntimeError(*args).
func NewRuntimeError(args ...any) *RuntimeError { return &RuntimeError{exc(clsRuntimeError, args)} }

// NewAttributeError is Python's AttributeError(*args).
func NewAttributeError(args ...any) *AttributeError {
	return &AttributeError{exc(clsAttributeError, args)}
}

var clsUnicodeDecodeError = &class{name: "UnicodeDecodeError", base: clsUnicodeError}

// UnicodeDecodeError is Python's UnicodeDecodeError, e.g. bytes that are not
// UTF-8 read through a text-mode MakeFile.
type UnicodeDecodeError struct{ UnicodeError }

// NewUnicodeDecodeError is UnicodeDecodeError(encoding, object, start, end,
// reason).
func NewUnicodeDecodeError(encoding string, object []byte, start, end int, reason string) *UnicodeDecodeError {
	e := &UnicodeDecodeError{UnicodeError{ValueError{exc(clsUnicodeDecodeError,
		[]any{encoding, pyrepr.Bytes(object), start, end, reason})}}}
	e.outer = e
	return e
}

// Error is Python's str(e): "'utf-8' codec can't decode byte 0xff in
// position 0: invalid start byte".
func (e *UnicodeDecodeError) Error() string { return e.pyStr() }

// As lets errors.As find this error through its Python base classes, as
// views that print as it.
func (e *UnicodeDecodeError) As(target any) bool {
	e.link(e)
	return e.UnicodeError.As(target)
}

func (e *UnicodeDecodeError) pyStr() string {
	if len(e.Args) != 5 {
		return e.Exception.baseStr()
	}
	obj, _ := e.Args[1].(pyrepr.Bytes)
	start, _ := e.Args[2].(int)
	end, _ := e.Args[3].(int)
	if end == start+1 && start < len(obj) {
		return fmt.Sprintf("'%s' codec can't decode byte 0x%02x in position %d: %s", e.Args[0], obj[start], start, e.Args[4])
	}
	return fmt.Sprintf("'%s' codec can't decode bytes in position %d-%d: %s", e.Args[0], start, end-1, e.Args[4])
}

var clsUnicodeEncodeError = &class{name: "UnicodeEncodeError", base: clsUnicodeError}

// UnicodeEncodeError is Python's UnicodeEncodeError, e.g. text a
// text-mode MakeFile cannot encode in its encoding.
type UnicodeEncodeError struct{ UnicodeError }

// NewUnicodeEncodeError is UnicodeEncodeError(encoding, object, start, end,
// reason); start and end count characters of object, as in Python.
func NewUnicodeEncodeError(encoding, object string, start, end int, reason string) *UnicodeEncodeError {
	e := &UnicodeEncodeError{UnicodeError{ValueError{exc(clsUnicodeEncodeError,
		[]any{encoding, object, start, end, reason})}}}
	e.outer = e
	return e
}

// Error is Python's str(e): "'ascii' codec can't encode character '\u20ac'
// in position 1: ordinal not in range(128)".
func (e *UnicodeEncodeError) Error() string { return e.pyStr() }

// As lets errors.As find this error through its Python base classes, as
// views that print as it.
func (e *UnicodeEncodeError) As(target any) bool {
	e.link(e)
	return e.UnicodeError.As(target)
}

func (e *UnicodeEncodeError) pyStr() string {
	if len(e.Args) != 5 {
		return e.Exception.baseStr()
	}
	obj, _ := e.Args[1].(string)
	start, _ := e.Args[2].(int)
	end, _ := e.Args[3].(int)
	chars := pyrepr.Runes(obj)
	if end == start+1 && start >= 0 && start < len(chars) {
		c := chars[start]
		var esc string
		switch {
		case c < 0x100:
			esc = fmt.Sprintf("\\x%02x", c)
		case c < 0x10000:
			esc = fmt.Sprintf("\\u%04x", c)
		default:
			esc = fmt.Sprintf("\\U%08x", c)
		}
		return fmt.Sprintf("'%s' codec can't encode character '%s' in position %d: %s", e.Args[0], esc, start, e.Args[4])
	}
	return fmt.Sprintf("'%s' codec can't encode characters in position %d-%d: %s", e.Args[0], start, end-1, e.Args[4])
}
