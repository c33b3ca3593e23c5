// Command exceptions prints the Python exceptions a socket program meets,
// built with pysock's errors package, exactly as CPython prints them.
package main

import (
	"errors"
	"fmt"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
)

func main() {
	for _, err := range []error{
		pyerr.FromErrno(syscall.EAGAIN),
		pyerr.NewSocketTimeout(),
		pyerr.FromErrno(syscall.ECONNREFUSED),
		pyerr.FromErrno(syscall.EPIPE),
		pyerr.FromGaiCode(-2),
		pyerr.NewValueError("Timeout value out of range"),
	} {
		var oe *pyerr.OSError
		isOS := errors.As(err, &oe)
		pe := err.(pyerr.PyException)
		fmt.Printf("%s\n    str(e) = %q, isinstance(e, OSError) = %v\n", pe.Repr(), err.Error(), isOS)
	}
}
