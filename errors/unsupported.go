package pyerr

var clsUnsupportedOperation = &class{name: "UnsupportedOperation", base: clsOSError,
	mro: []string{"UnsupportedOperation", "OSError", "ValueError", "Exception", "BaseException"}}

// UnsupportedOperation is io.UnsupportedOperation, which derives from both
// OSError and ValueError: e.g. reading a socket file opened only for
// writing. errors.As finds it as an *OSError and as a *ValueError.
type UnsupportedOperation struct{ OSError }

// NewUnsupportedOperation is io.UnsupportedOperation(*args).
func NewUnsupportedOperation(args ...any) *UnsupportedOperation {
	e := &UnsupportedOperation{parseOSArgs(clsUnsupportedOperation, args)}
	e.outer = &e.OSError
	return e
}

// As lets errors.As find this error as a ValueError too.
func (e *UnsupportedOperation) As(target any) bool {
	if t, ok := target.(**ValueError); ok {
		*t = &ValueError{Exception{Args: e.Args, cls: clsUnsupportedOperation, outer: &e.OSError, view: true}}
		return true
	}
	if t, ok := target.(**UnsupportedOperation); ok {
		*t = e
		return true
	}
	return e.OSError.As(target)
}
