package pyio

import (
	"iter"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
)

// errIOClosed is IOBase's ValueError('I/O operation on closed file.').
func errIOClosed() error { return pyerr.NewValueError("I/O operation on closed file.") }

// errClosed is the buffered layers' ValueError('<op> of closed file').
func errClosed(op string) error { return pyerr.NewValueError(op + " of closed file") }

// errUnsupported is io.UnsupportedOperation(op).
func errUnsupported(op string) error { return pyerr.NewUnsupportedOperation(op) }

// sizeArg is Python's optional size argument: -1 when absent.
func sizeArg(size []int) int {
	if len(size) > 0 {
		return size[0]
	}
	return -1
}

// checkSize is the buffered read's 'read length must be non-negative or -1'.
func checkSize(n int) error {
	if n < -1 {
		return pyerr.NewValueError("read length must be non-negative or -1")
	}
	return nil
}

// collector gathers a long result in pieces of at most partSize bytes and
// joins them with one exact allocation, as CPython joins its chunk list: a
// big line costs twice its size at the peak, not the copies of a growing
// slice.
type collector struct {
	parts [][]byte
	n     int
}

const partSize = 64 << 10

func (c *collector) add(b []byte) {
	c.n += len(b)
	for len(b) > 0 {
		if k := len(c.parts); k > 0 && len(c.parts[k-1]) < cap(c.parts[k-1]) {
			last := c.parts[k-1]
			m := min(len(b), cap(last)-len(last))
			c.parts[k-1] = append(last, b[:m]...)
			b = b[m:]
			continue
		}
		c.parts = append(c.parts, make([]byte, 0, max(partSize, min(len(b), 1<<20))))
	}
}

// bytes joins the pieces; it returns a non-nil slice.
func (c *collector) bytes() []byte {
	out := make([]byte, 0, c.n)
	for _, p := range c.parts {
		out = append(out, p...)
	}
	c.parts, c.n = nil, 0
	return out
}

// string joins the pieces into a string without a further copy.
func (c *collector) string() string { return ownString(c.bytes()) }

// ownString makes a string of b without copying; b must not be used again.
func ownString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// ReadLinesOf is IOBase.readlines(): readline until it returns an empty
// line (ValueError at once if closed, as iter(f) raises).
func ReadLinesOf[T []byte | string](closed func() bool, readline func() (T, error)) ([]T, error) {
	if closed() {
		return nil, errIOClosed()
	}
	out := []T{}
	for {
		line, err := readline()
		if err != nil {
			return out, err
		}
		if len(line) == 0 {
			return out, nil
		}
		out = append(out, line)
	}
}

// LinesOf is IOBase.__iter__/__next__ as a range-over-func sequence: each
// line until EOF; an error is yielded once, with the zero line, and ends
// the sequence.
func LinesOf[T []byte | string](closed func() bool, readline func() (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if closed() {
			yield(zero, errIOClosed())
			return
		}
		for {
			line, err := readline()
			if err != nil {
				yield(zero, err)
				return
			}
			if len(line) == 0 || !yield(line, nil) {
				return
			}
		}
	}
}

// readline0 adapts a ReadLine(size ...int) to readLines and lines.
func readline0[T []byte | string](f func(size ...int) (T, error)) func() (T, error) {
	return func() (T, error) { return f() }
}

// errReadNone is IOBase.readline's OSError when its read gave None (a
// non-blocking stream with nothing to read).
func errReadNone() error {
	return pyerr.NewOSError("read() should have returned a bytes object, not 'NoneType'")
}
