// Package pyarg holds CPython's argument converters, one function per
// converter, for the Go values a port passes where Python passes an object:
// operator.index / PyNumber_Index, the "i", "l" and "n" formats of
// PyArg_Parse, Argument Clinic's int (_PyLong_AsInt), PyObject_GetBuffer
// (bytes-like), the "s" format, _PyTime_FromSecondsObject /
// _PyTime_FromMillisecondsObject and PyObject_AsFileDescriptor.
//
// The Go twins of Python's values:
//
//   - None: nil, and any typed nil pointer ((*big.Int)(nil), (*Socket)(nil)…).
//   - int: every Go integer kind, named ones included (the package's enums,
//     type port int), *big.Int for any size, and bool (Python's bool is an int).
//   - float: float32, float64 and named float kinds.
//   - bytes-like: []byte and every named byte-slice type (pyrepr.Bytes…).
//     Python's bytearray and memoryview have no Go twin of their own: a
//     []byte stands for them too.
//   - str: string.
//
// Errors are CPython's exception classes and texts (package errors); the
// table tests compare every converter with CPython running the same inputs.
package pyarg
