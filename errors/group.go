package pyerr

import (
	"strconv"

	"github.com/pysock/pysock/internal/pyrepr"
)

var (
	clsBaseExceptionGroup = &class{name: "BaseExceptionGroup", base: clsException}
	clsExceptionGroup     = &class{name: "ExceptionGroup", base: clsBaseExceptionGroup}
)

// ExceptionGroup is Python's ExceptionGroup (3.11): several exceptions
// raised together, e.g. by create_connection(..., all_errors=True). Its
// Unwrap returns them, so errors.Is and errors.As look inside.
type ExceptionGroup struct {
	Exception
	// Message is eg.message.
	Message string
	// Exceptions is eg.exceptions.
	Exceptions []error
}

// NewExceptionGroup is Python's ExceptionGroup(message, exceptions).
func NewExceptionGroup(message string, exceptions []error) *ExceptionGroup {
	list := make([]any, len(exceptions))
	for i, e := range exceptions {
		list[i] = e
	}
	e := &ExceptionGroup{
		Exception:  exc(clsExceptionGroup, []any{message, list}),
		Message:    message,
		Exceptions: append([]error(nil), exceptions...),
	}
	e.outer = e
	return e
}

// Error returns Python's str(eg): "message (2 sub-exceptions)".
func (e *ExceptionGroup) Error() string { return e.pyStr() }

// As lets errors.As find this error as an *Exception view that prints as
// it (the grouped errors are found through Unwrap).
func (e *ExceptionGroup) As(target any) bool {
	e.link(e)
	return e.Exception.As(target)
}

func (e *ExceptionGroup) pyStr() string {
	n := len(e.Exceptions)
	s := "s"
	if n == 1 {
		s = ""
	}
	return e.Message + " (" + strconv.Itoa(n) + " sub-exception" + s + ")"
}

// Repr returns Python's repr(eg), built from eg.args:
// ExceptionGroup('message', [ConnectionRefusedError(111, 'Connection refused')]).
func (e *ExceptionGroup) Repr() string { return e.pyRepr() }

func (e *ExceptionGroup) pyRepr() string { return e.ClassName() + pyrepr.Repr(pyrepr.Tuple(e.Args)) }

// Unwrap returns the grouped exceptions.
func (e *ExceptionGroup) Unwrap() []error { return e.Exceptions }
