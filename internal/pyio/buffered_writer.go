package pyio

import (
	"fmt"
	"sync"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
)

// BufferedWriter is io.BufferedWriter over a raw stream: what
// makefile('wb') returns. Data waits in the buffer until it fills, Flush or
// Close.
type BufferedWriter struct {
	raw  RawIO
	size int
	mu   sync.Mutex
	buf  []byte
}

// NewBufferedWriter is io.BufferedWriter(raw, buffer_size).
func NewBufferedWriter(raw RawIO, size int) (*BufferedWriter, error) {
	if size <= 0 {
		return nil, pyerr.NewValueError("buffer size must be strictly positive")
	}
	return &BufferedWriter{raw: raw, size: size}, nil
}

// ClassName is type(f).__name__: 'BufferedWriter'.
func (w *BufferedWriter) ClassName() string { return "BufferedWriter" }

// Repr is repr(f): <_io.BufferedWriter name=5>.
func (w *BufferedWriter) Repr() string {
	return fmt.Sprintf("<_io.BufferedWriter name=%d>", w.raw.Name())
}

// String is Repr.
func (w *BufferedWriter) String() string { return w.Repr() }

// Raw is f.raw.
func (w *BufferedWriter) Raw() RawIO { return w.raw }

// Name is f.name (the raw stream's).
func (w *BufferedWriter) Name() int { return w.raw.Name() }

// Mode is f.mode (the raw stream's).
func (w *BufferedWriter) Mode() string { return w.raw.Mode() }

// Closed is f.closed.
func (w *BufferedWriter) Closed() bool { return w.raw.Closed() }

// Readable is f.readable(): false, even once closed.
func (w *BufferedWriter) Readable() (bool, error) { return false, nil }

// Writable is f.writable(): the raw stream's (an error once closed).
func (w *BufferedWriter) Writable() (bool, error) { return w.raw.Writable() }

// Seekable is f.seekable(): the raw stream's.
func (w *BufferedWriter) Seekable() (bool, error) { return w.raw.Seekable() }

// Fileno is f.fileno(): the raw stream's.
func (w *BufferedWriter) Fileno() (int, error) { return w.raw.Fileno() }

// Isatty is f.isatty(): the raw stream's.
func (w *BufferedWriter) Isatty() (bool, error) { return w.raw.Isatty() }

// errWouldBlock is the BlockingIOError a buffered write raises when the
// raw stream takes nothing.
func errWouldBlock(written int) error {
	return pyerr.NewOSError(int(syscall.EAGAIN), "write could not complete without blocking", written)
}

// Write is f.write(b) and io.Writer: len(b) once b is buffered or sent.
func (w *BufferedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.Closed() {
		return 0, pyerr.NewValueError("write to closed file")
	}
	if len(w.buf)+len(p) <= w.size {
		w.buf = append(w.buf, p...)
		return len(p), nil
	}
	if err := w.flushLocked(); err != nil {
		if !pyerr.IsInstance(err, "BlockingIOError") {
			return 0, err
		}
		// The raw stream would block: what fits in the room the flush
		// made is buffered, as CPython's write does, and the error says
		// how much (none of it is an error if all of it fits).
		avail := w.size - len(w.buf)
		if len(p) <= avail {
			w.buf = append(w.buf, p...)
			return len(p), nil
		}
		w.buf = append(w.buf, p[:avail]...)
		return avail, errWouldBlock(avail)
	}
	written := 0
	for len(p)-written > w.size {
		n, err := w.raw.WriteSome(p[written:])
		if err != nil {
			return written, err
		}
		if n < 0 {
			w.buf = append(w.buf, p[written:written+w.size]...)
			return written + w.size, errWouldBlock(written + w.size)
		}
		written += n
	}
	w.buf = append(w.buf, p[written:]...)
	return len(p), nil
}

// flushLocked is _bufferedwriter_flush_unlocked.
func (w *BufferedWriter) flushLocked() error {
	for len(w.buf) > 0 {
		n, err := w.raw.WriteSome(w.buf)
		if err != nil {
			return err
		}
		if n < 0 {
			return errWouldBlock(0)
		}
		w.buf = w.buf[:copy(w.buf, w.buf[n:])]
	}
	return nil
}

// Flush is f.flush(): sends what the buffer holds.
func (w *BufferedWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.Closed() {
		return errClosed("flush")
	}
	return w.flushLocked()
}

// Close is f.close(): flushes, then closes the raw stream (even when the
// flush failed, whose error is returned). Idempotent.
func (w *BufferedWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.Closed() {
		return nil
	}
	ferr := w.flushLocked()
	w.buf = nil
	if err := w.raw.Close(); ferr == nil {
		ferr = err
	}
	return ferr
}

// ReadN is f.read(): UnsupportedOperation('read').
func (w *BufferedWriter) ReadN(size ...int) ([]byte, error) { return nil, errUnsupported("read") }

// Read1 is f.read1(): UnsupportedOperation('read1').
func (w *BufferedWriter) Read1(size ...int) ([]byte, error) { return nil, errUnsupported("read1") }

// ReadInto is f.readinto(b): UnsupportedOperation('read').
func (w *BufferedWriter) ReadInto(p []byte) (int, error) { return 0, errUnsupported("read") }

// ReadLine is f.readline(): UnsupportedOperation('read').
func (w *BufferedWriter) ReadLine(size ...int) ([]byte, error) { return nil, errUnsupported("read") }

// ReadLines is f.readlines(): UnsupportedOperation('read').
func (w *BufferedWriter) ReadLines() ([][]byte, error) { return nil, errUnsupported("read") }

// Read is io.Reader: UnsupportedOperation('read').
func (w *BufferedWriter) Read(p []byte) (int, error) { return 0, errUnsupported("read") }

// ReadInto1 is f.readinto1(b): UnsupportedOperation('read').
func (w *BufferedWriter) ReadInto1(p []byte) (int, error) { return 0, errUnsupported("read") }
