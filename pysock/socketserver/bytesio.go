package socketserver

import (
	"bytes"
	"io"

	pyerr "github.com/pysock/pysock/errors"
)

// BytesIO is the part of io.BytesIO a datagram handler uses: the file
// methods a stream handler's RFile and WFile have too, so that one
// handler serves stream and datagram servers alike (a *BytesIO is a
// WriteFile).
type BytesIO struct {
	buf    []byte
	pos    int
	closed bool
}

// NewBytesIO is io.BytesIO(initial): the file holds a copy of initial and
// is positioned at its start.
func NewBytesIO(initial []byte) *BytesIO { return &BytesIO{buf: bytes.Clone(initial)} }

var _ WriteFile = (*BytesIO)(nil)

func errClosedFile() error { return pyerr.NewValueError("I/O operation on closed file.") }

// ReadN is read(size=-1): up to size bytes (all that is left when size is
// omitted or negative); empty at the end.
func (f *BytesIO) ReadN(size ...int) ([]byte, error) {
	if f.closed {
		return nil, errClosedFile()
	}
	n := len(f.buf) - f.pos
	if len(size) > 0 && size[0] >= 0 && size[0] < n {
		n = size[0]
	}
	out := bytes.Clone(f.buf[f.pos : f.pos+n])
	f.pos += n
	return out, nil
}

// ReadLine is readline(size=-1): up to and including the next b'\n'.
func (f *BytesIO) ReadLine(size ...int) ([]byte, error) {
	if f.closed {
		return nil, errClosedFile()
	}
	rest := f.buf[f.pos:]
	n := len(rest)
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		n = i + 1
	}
	if len(size) > 0 && size[0] >= 0 && size[0] < n {
		n = size[0]
	}
	out := bytes.Clone(rest[:n])
	f.pos += n
	return out, nil
}

// Read is io.Reader's Read (io.EOF at the end).
func (f *BytesIO) Read(p []byte) (int, error) {
	b, err := f.ReadN(len(p))
	if err != nil {
		return 0, err
	}
	if len(b) == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return copy(p, b), nil
}

// Write is write(b): b overwrites from the position on, growing the
// buffer; it returns len(b).
func (f *BytesIO) Write(b []byte) (int, error) {
	if f.closed {
		return 0, errClosedFile()
	}
	if f.pos > len(f.buf) {
		f.buf = append(f.buf, make([]byte, f.pos-len(f.buf))...)
	}
	n := copy(f.buf[f.pos:], b)
	f.buf = append(f.buf, b[n:]...)
	f.pos += len(b)
	return len(b), nil
}

// ReadLines is readlines(): the lines left, each with its b'\n' (the
// last may lack it).
func (f *BytesIO) ReadLines() ([][]byte, error) {
	var lines [][]byte
	for {
		line, err := f.ReadLine()
		if err != nil || len(line) == 0 {
			return lines, err
		}
		lines = append(lines, line)
	}
}

// GetValue is getvalue(): the whole buffer; ValueError once closed.
func (f *BytesIO) GetValue() ([]byte, error) {
	if f.closed {
		return nil, errClosedFile()
	}
	return bytes.Clone(f.buf), nil
}

// Flush is flush(): nothing to write out; ValueError once closed.
func (f *BytesIO) Flush() error {
	if f.closed {
		return errClosedFile()
	}
	return nil
}

// Readable, Writable and Seekable are readable(), writable() and
// seekable(): true; ValueError once closed.
func (f *BytesIO) Readable() (bool, error) { return f.isOpen() }

// Writable is writable() (see Readable).
func (f *BytesIO) Writable() (bool, error) { return f.isOpen() }

// Seekable is seekable() (see Readable).
func (f *BytesIO) Seekable() (bool, error) { return f.isOpen() }

func (f *BytesIO) isOpen() (bool, error) {
	if f.closed {
		return false, errClosedFile()
	}
	return true, nil
}

// Fileno is fileno(): a BytesIO has no descriptor,
// io.UnsupportedOperation('fileno'), open or closed.
func (f *BytesIO) Fileno() (int, error) { return -1, pyerr.NewUnsupportedOperation("fileno") }

// Close is close().
func (f *BytesIO) Close() error {
	f.closed = true
	return nil
}

// Closed is the closed attribute.
func (f *BytesIO) Closed() bool { return f.closed }
