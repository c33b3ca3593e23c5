// Package pyio is CPython's io stack as socket.makefile builds it: a raw
// SocketIO, BufferedReader / BufferedWriter / BufferedRWPair over a raw
// stream, and TextIOWrapper over a buffered one. Each layer is its own type,
// reports its Python class name (ClassName) and repr (Repr), holds one lock
// over every read path, and keeps Go's io contracts in its Read and Write.
//
// pyio does not import pysock: the socket side is the Sock interface.
// Python names map mechanically: f.read(n) is ReadN(n) (Read is
// io.Reader's), readline is ReadLine, readinto is ReadInto; a nil []byte
// stands for Python's None and a count of -1 for a None count.
package pyio

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"sync"
	"sync/atomic"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
)

// DefaultBufferSize is io.DEFAULT_BUFFER_SIZE.
const DefaultBufferSize = 8192

// Sock is what SocketIO needs from a socket: recv_into and send with the
// socket's own timeout and blocking mode (a timeout is a TimeoutError
// without errno, a non-blocking miss an OSError with EAGAIN), fileno, and
// socket._decref_socketios for close.
type Sock interface {
	RecvInto(b []byte) (int, error)
	Send(b []byte) (int, error)
	Fileno() int
	DecrefIO() error
}

// RawIO is the raw stream the buffered layers read and write: SocketIO, or
// any io.RawIOBase-like stream (tests use an in-memory one).
type RawIO interface {
	// ReadInto is readinto(b): the count, 0 at EOF, -1 for None.
	ReadInto(b []byte) (int, error)
	// WriteSome is write(b): the count (maybe short), -1 for None.
	WriteSome(b []byte) (int, error)
	Close() error
	Closed() bool
	Readable() (bool, error)
	Writable() (bool, error)
	Seekable() (bool, error)
	Fileno() (int, error)
	Isatty() (bool, error)
	Name() int
	Mode() string
	Repr() string
}

// SocketIO is socket.SocketIO, the raw stream makefile(buffering=0)
// returns and the buffered layers sit on.
type SocketIO struct {
	sock     Sock
	mode     string
	reading  bool
	writing  bool
	closed   atomic.Bool
	timedOut atomic.Bool // SocketIO._timeout_occurred
	closeMu  sync.Mutex
}

// NewSocketIO is SocketIO(sock, mode) for mode 'r', 'w', 'rw' with or
// without 'b'. The caller has already counted the file in the socket's
// _io_refs; Close gives it back.
func NewSocketIO(sock Sock, mode string) (*SocketIO, error) {
	switch mode {
	case "r", "w", "rw", "rb", "wb", "rwb":
	default:
		return nil, pyerr.NewValueError("invalid mode: '" + mode + "'")
	}
	if mode[len(mode)-1] != 'b' {
		mode += "b"
	}
	r := &SocketIO{sock: sock, mode: mode}
	r.reading = mode[0] == 'r'
	r.writing = mode != "rb"
	return r, nil
}

// ClassName is type(f).__name__: 'SocketIO'.
func (r *SocketIO) ClassName() string { return "SocketIO" }

// Repr is repr(f): <socket.SocketIO object at 0x...>.
func (r *SocketIO) Repr() string { return fmt.Sprintf("<socket.SocketIO object at %p>", r) }

// String is Repr.
func (r *SocketIO) String() string { return r.Repr() }

// Mode is f.mode: 'rb', 'wb' or 'rwb'.
func (r *SocketIO) Mode() string { return r.mode }

// Name is f.name: the socket's fd, or -1 once closed.
func (r *SocketIO) Name() int {
	if r.Closed() {
		return -1
	}
	return r.sock.Fileno()
}

// Fileno is f.fileno(): the socket's fd, asked of the socket each time as
// CPython's SocketIO does (-1 once the socket is detached); -1 and
// ValueError('I/O operation on closed file.') once closed.
func (r *SocketIO) Fileno() (int, error) {
	if r.Closed() {
		return -1, errIOClosed()
	}
	return r.sock.Fileno(), nil
}

// Closed is f.closed.
func (r *SocketIO) Closed() bool { return r.closed.Load() }

// Readable is f.readable(): false and ValueError('I/O operation on closed
// socket.') once closed.
func (r *SocketIO) Readable() (bool, error) { return r.openAnd(r.reading) }

// Writable is f.writable(), with Readable's error once closed.
func (r *SocketIO) Writable() (bool, error) { return r.openAnd(r.writing) }

// Seekable is f.seekable(): false, with Readable's error once closed.
func (r *SocketIO) Seekable() (bool, error) { return r.openAnd(false) }

// Isatty is f.isatty(): false; ValueError('I/O operation on closed
// file.') once closed.
func (r *SocketIO) Isatty() (bool, error) {
	if r.Closed() {
		return false, errIOClosed()
	}
	return false, nil
}

// openAnd is SocketIO's readable/writable/seekable: v, or CPython's
// ValueError('I/O operation on closed socket.') once closed.
func (r *SocketIO) openAnd(v bool) (bool, error) {
	if r.Closed() {
		return false, pyerr.NewValueError("I/O operation on closed socket.")
	}
	return v, nil
}

// TimedOut is SocketIO._timeout_occurred: a read timed out, and every
// later read fails with OSError('cannot read from timed out object').
func (r *SocketIO) TimedOut() bool { return r.timedOut.Load() }

func (r *SocketIO) checkReadable() error {
	if r.Closed() {
		return errIOClosed()
	}
	if !r.reading {
		return pyerr.NewUnsupportedOperation("File or stream is not readable.")
	}
	return nil
}

// ReadInto is SocketIO.readinto(b): one recv_into; -1 stands for None
// (non-blocking socket, nothing available); 0 with a non-empty b is EOF.
func (r *SocketIO) ReadInto(b []byte) (int, error) {
	if err := r.checkReadable(); err != nil {
		return 0, err
	}
	if r.timedOut.Load() {
		return 0, pyerr.NewOSError("cannot read from timed out object")
	}
	n, err := r.sock.RecvInto(b)
	if err != nil {
		return r.recvError(err)
	}
	return max(n, 0), nil
}

// recvError is SocketIO.readinto's handling of a failed recv: a timeout
// poisons the file, EAGAIN is None (-1). CPython catches socket.timeout,
// which is TimeoutError itself: the kernel's ETIMEDOUT (OSError 110, a
// TimeoutError) poisons the file too.
func (r *SocketIO) recvError(err error) (int, error) {
	if pyerr.IsInstance(err, "TimeoutError") {
		r.timedOut.Store(true)
		return 0, err
	}
	if isBlocking(err) {
		return -1, nil
	}
	return 0, err
}

// isBlocking is e.errno in socket._blocking_errnos.
func isBlocking(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EWOULDBLOCK)
}

// ReadN is RawIOBase.read(size=-1): one readinto of size bytes, or
// readall() for a negative size; nil stands for None.
func (r *SocketIO) ReadN(size ...int) ([]byte, error) {
	n := sizeArg(size)
	if n < 0 {
		return r.readAll()
	}
	// CPython allocates n bytes (MemoryError if it cannot), reads into
	// them and shrinks the result. A Sock that sizes its result by what
	// arrived (pysock's recv) is asked for n bytes instead, so that a
	// large n costs what arrived.
	if err := pyarg.Alloc(n); err != nil {
		return nil, err
	}
	if rs, ok := r.sock.(sizedRecv); ok && n > 0 {
		if err := r.checkReadable(); err != nil {
			return nil, err
		}
		if r.timedOut.Load() {
			return nil, pyerr.NewOSError("cannot read from timed out object")
		}
		b, err := rs.Recv(n)
		if err != nil {
			if got, err := r.recvError(err); got < 0 || err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	b := make([]byte, n)
	got, err := r.ReadInto(b)
	if err != nil || got < 0 {
		return nil, err
	}
	return b[:got], nil
}

// sizedRecv is a Sock whose recv(n) returns a result sized by what
// arrived.
type sizedRecv interface {
	Recv(n int) ([]byte, error)
}

// readAll is RawIOBase.readall(): reads of DEFAULT_BUFFER_SIZE to EOF; None
// if the first read would block.
func (r *SocketIO) readAll() ([]byte, error) {
	var c collector
	chunk := make([]byte, DefaultBufferSize)
	for {
		n, err := r.ReadInto(chunk)
		if err != nil {
			return nil, err
		}
		if n < 0 {
			if c.n == 0 {
				return nil, nil
			}
			break
		}
		if n == 0 {
			break
		}
		c.add(chunk[:n])
	}
	return c.bytes(), nil
}

// ReadLine is IOBase.readline(size=-1) on the raw stream: one byte at a
// time through b'\n'. A read that would block (None) is CPython's
// OSError("read() should have returned a bytes object, not 'NoneType'").
func (r *SocketIO) ReadLine(size ...int) ([]byte, error) {
	if err := r.checkReadable(); err != nil {
		return nil, err
	}
	limit := sizeArg(size)
	out := []byte{}
	var one [1]byte
	for limit < 0 || len(out) < limit {
		n, err := r.ReadInto(one[:])
		if err != nil {
			return out, err
		}
		if n < 0 {
			// IOBase.readline's read(1) gave None: CPython rejects it
			// (the bytes taken so far are lost, as there).
			return nil, errReadNone()
		}
		if n == 0 {
			break
		}
		out = append(out, one[0])
		if one[0] == '\n' {
			break
		}
	}
	return out, nil
}

// ReadLines is IOBase.readlines(): every line to EOF.
func (r *SocketIO) ReadLines() ([][]byte, error) { return ReadLinesOf(r.Closed, readline0(r.ReadLine)) }

// Lines is `for line in f`: each line until EOF or an error (yielded once
// with a nil line).
func (r *SocketIO) Lines() iter.Seq2[[]byte, error] { return LinesOf(r.Closed, readline0(r.ReadLine)) }

// Read implements io.Reader: one recv into p; io.EOF at the end of the
// stream; BlockingIOError where Python's readinto returns None.
func (r *SocketIO) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := r.ReadInto(p)
	return ioResult(n, err)
}

// WriteSome is SocketIO.write(b): one send, maybe short; -1 stands for
// None (non-blocking socket, nothing could be sent).
func (r *SocketIO) WriteSome(b []byte) (int, error) {
	if r.Closed() {
		return 0, errIOClosed()
	}
	if !r.writing {
		return 0, pyerr.NewUnsupportedOperation("File or stream is not writable.")
	}
	n, err := r.sock.Send(b)
	if err != nil {
		if isBlocking(err) {
			return -1, nil
		}
		return 0, err
	}
	return n, nil
}

// Write implements io.Writer over SocketIO.write: it sends until b is
// gone, and where Python's write would return None it stops with
// BlockingIOError (n is what was sent before).
func (r *SocketIO) Write(b []byte) (int, error) {
	done := 0
	for {
		n, err := r.WriteSome(b[done:])
		if err != nil {
			return done, err
		}
		if n < 0 {
			return done, pyerr.FromErrno(syscall.EAGAIN)
		}
		done += n
		if done >= len(b) {
			return done, nil
		}
	}
}

// Flush is IOBase.flush(): nothing to send, ValueError once closed.
func (r *SocketIO) Flush() error {
	if r.Closed() {
		return errIOClosed()
	}
	return nil
}

// Close is SocketIO.close(): releases the socket's _io_refs count (closing
// the socket if it was closed and this was its last file). Idempotent.
func (r *SocketIO) Close() error {
	r.closeMu.Lock()
	defer r.closeMu.Unlock()
	if r.closed.Swap(true) {
		return nil
	}
	return r.sock.DecrefIO()
}

// ioResult turns a readinto result into io.Reader's: io.EOF for 0,
// BlockingIOError for None.
func ioResult(n int, err error) (int, error) {
	switch {
	case err != nil:
		return max(n, 0), err
	case n < 0:
		return 0, pyerr.FromErrno(syscall.EAGAIN)
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}
