// Package pymotw holds Go ports of the PyMOTW-3 socket, select, selectors
// and socketserver programs, written with pysock line by line after the
// Python originals (compat_test/scenarios/_pymotw.py and
// _pymotw_socketserver.py have the CPython versions the goldens come from). Each program prints through out, takes its address
// from the caller, and servers call ready(port) once they listen and stop
// by themselves; examples/<program>/main.go runs each one.
package pymotw

import "github.com/pysock/pysock/pysock"

// Message is the 42-byte payload of the echo programs.
var Message = []byte("This is the message.  It will be repeated.")

// r is Python's "{!r}".format(v).
func r(v any) string { return pysock.Repr(v) }

// b is a byte slice printed as Python bytes.
func b(p []byte) pysock.Bytes { return pysock.Bytes(p) }
