package pyio

import (
	"bytes"
	"fmt"
	"iter"
	"sync"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
)

// BufferedReader is io.BufferedReader over a raw stream: what
// makefile('rb') returns. One lock covers every read path, so concurrent
// calls never see the buffer half updated.
type BufferedReader struct {
	raw      RawIO
	size     int
	mu       sync.Mutex
	buf      []byte // len size once allocated; data is buf[pos:end]
	pos, end int
}

// NewBufferedReader is io.BufferedReader(raw, buffer_size).
func NewBufferedReader(raw RawIO, size int) (*BufferedReader, error) {
	if size <= 0 {
		return nil, pyerr.NewValueError("buffer size must be strictly positive")
	}
	return &BufferedReader{raw: raw, size: size}, nil
}

// ClassName is type(f).__name__: 'BufferedReader'.
func (b *BufferedReader) ClassName() string { return "BufferedReader" }

// Repr is repr(f): <_io.BufferedReader name=5>.
func (b *BufferedReader) Repr() string {
	return fmt.Sprintf("<_io.BufferedReader name=%d>", b.raw.Name())
}

// String is Repr.
func (b *BufferedReader) String() string { return b.Repr() }

// Raw is f.raw.
func (b *BufferedReader) Raw() RawIO { return b.raw }

// Name is f.name (the raw stream's).
func (b *BufferedReader) Name() int { return b.raw.Name() }

// Mode is f.mode (the raw stream's).
func (b *BufferedReader) Mode() string { return b.raw.Mode() }

// Closed is f.closed.
func (b *BufferedReader) Closed() bool { return b.raw.Closed() }

// Readable is f.readable(): the raw stream's (an error once closed).
func (b *BufferedReader) Readable() (bool, error) { return b.raw.Readable() }

// Writable is f.writable(): false, even once closed.
func (b *BufferedReader) Writable() (bool, error) { return false, nil }

// Seekable is f.seekable(): the raw stream's.
func (b *BufferedReader) Seekable() (bool, error) { return b.raw.Seekable() }

// Fileno is f.fileno(): the raw stream's.
func (b *BufferedReader) Fileno() (int, error) { return b.raw.Fileno() }

// Isatty is f.isatty(): the raw stream's.
func (b *BufferedReader) Isatty() (bool, error) { return b.raw.Isatty() }

func (b *BufferedReader) avail() int { return b.end - b.pos }

// take returns a copy of the next n buffered bytes.
func (b *BufferedReader) take(n int) []byte {
	out := bytes.Clone(b.buf[b.pos : b.pos+n])
	if out == nil {
		out = []byte{}
	}
	b.pos += n
	return out
}

func (b *BufferedReader) reset() { b.pos, b.end = 0, 0 }

// fill is _bufferedreader_fill_buffer: one raw read into the rest of the
// buffer, after what it holds (consumed or not: the callers that start
// afresh reset it first, as CPython's do, so a read that fills twice asks
// the socket only for what is left of the buffer); the count, 0 at EOF,
// -1 for None.
func (b *BufferedReader) fill() (int, error) {
	if b.buf == nil {
		b.buf = make([]byte, b.size)
	}
	n, err := b.raw.ReadInto(b.buf[b.end:])
	if n > 0 {
		b.end += n
	}
	return n, err
}

// ReadN is f.read(size=-1): size bytes (fewer at EOF), or everything to
// EOF for -1; nil stands for None (non-blocking, nothing available).
func (b *BufferedReader) ReadN(size ...int) ([]byte, error) {
	n := sizeArg(size)
	if err := checkSize(n); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Closed() {
		return nil, errClosed("read")
	}
	if n < 0 {
		return b.readAll()
	}
	return b.readGeneric(n)
}

// readGeneric is _bufferedreader_read_generic.
func (b *BufferedReader) readGeneric(n int) ([]byte, error) {
	if n <= b.avail() {
		return b.take(n), nil
	}
	if err := pyarg.Alloc(n); err != nil { // CPython allocates n bytes first
		return nil, err
	}
	out := make([]byte, n)
	written := copy(out, b.buf[b.pos:b.end])
	b.reset()
	done := func(r int) []byte {
		if r == 0 || written > 0 {
			return out[:written]
		}
		return nil
	}
	for remaining := n - written; remaining >= b.size; remaining = n - written {
		r, err := b.raw.ReadInto(out[written : written+remaining/b.size*b.size])
		if err != nil {
			return nil, err
		}
		if r <= 0 {
			return done(r), nil
		}
		written += r
	}
	for written < n && b.end < b.size {
		r, err := b.fill()
		if err != nil {
			return nil, err
		}
		if r <= 0 {
			return done(r), nil
		}
		k := copy(out[written:], b.buf[b.pos:b.end])
		written += k
		b.pos += k
	}
	return out[:written], nil
}

// readAll is _bufferedreader_read_all: the buffered data and the raw
// stream's readall().
func (b *BufferedReader) readAll() ([]byte, error) {
	var c collector
	c.add(b.buf[b.pos:b.end])
	b.reset()
	chunk := make([]byte, DefaultBufferSize)
	for {
		r, err := b.raw.ReadInto(chunk)
		if err != nil {
			return nil, err
		}
		if r < 0 && c.n == 0 {
			return nil, nil
		}
		if r <= 0 {
			return c.bytes(), nil
		}
		c.add(chunk[:r])
	}
}

// Read1 is f.read1(size=-1): buffered bytes if there are any, else at most
// one raw read; b"" where the raw read gives None.
func (b *BufferedReader) Read1(size ...int) ([]byte, error) {
	n := sizeArg(size)
	if n < 0 {
		n = b.size
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Closed() {
		return nil, errClosed("read")
	}
	if n == 0 {
		return []byte{}, nil
	}
	if have := b.avail(); have > 0 {
		return b.take(min(have, n)), nil
	}
	if err := pyarg.Alloc(n); err != nil { // CPython allocates n bytes first
		return nil, err
	}
	b.reset()
	out := make([]byte, n)
	r, err := b.raw.ReadInto(out)
	if err != nil {
		return nil, err
	}
	return out[:max(r, 0)], nil
}

// ReadInto is f.readinto(buf): the count; -1 stands for None.
func (b *BufferedReader) ReadInto(p []byte) (int, error) { return b.readInto(p, false) }

// ReadInto1 is f.readinto1(buf): as ReadInto with at most one raw read.
func (b *BufferedReader) ReadInto1(p []byte) (int, error) { return b.readInto(p, true) }

func (b *BufferedReader) readInto(p []byte, one bool) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Closed() {
		return 0, errClosed("readinto")
	}
	return b.readIntoLocked(p, one)
}

// readIntoLocked is _buffered_readinto_generic.
func (b *BufferedReader) readIntoLocked(p []byte, one bool) (int, error) {
	written := copy(p, b.buf[b.pos:b.end])
	b.pos += written
	if written == len(p) {
		return written, nil
	}
	b.reset()
	for written < len(p) {
		remaining := len(p) - written
		var n int
		var err error
		switch {
		case remaining > b.size:
			n, err = b.raw.ReadInto(p[written:])
		case one && written > 0:
			n = 0
		default:
			n, err = b.fill()
			if n > 0 {
				k := copy(p[written:], b.buf[b.pos:b.end])
				b.pos += k
				written += k
				continue
			}
		}
		if err != nil {
			return written, err
		}
		if n == 0 || (n < 0 && written > 0) {
			break
		}
		if n < 0 {
			return -1, nil
		}
		written += n
		if one {
			break
		}
	}
	return written, nil
}

// Peek is f.peek(size=0): the buffered bytes, after one raw read if there
// were none; size is ignored, as in CPython.
func (b *BufferedReader) Peek(size ...int) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Closed() {
		return nil, errClosed("peek")
	}
	if b.avail() == 0 {
		b.reset()
		if _, err := b.fill(); err != nil {
			return nil, err
		}
	}
	return bytes.Clone(b.buf[b.pos:b.end:b.end]), nil
}

// ReadLine is f.readline(size=-1): through the next b'\n', at most size
// bytes, or what is left at EOF (b"" at EOF, or when nothing is available
// in non-blocking mode).
func (b *BufferedReader) ReadLine(size ...int) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Closed() {
		return nil, errClosed("readline")
	}
	return b.readLineLocked(sizeArg(size))
}

// readLineLocked is _buffered_readline.
func (b *BufferedReader) readLineLocked(limit int) ([]byte, error) {
	n := b.avail()
	if limit >= 0 {
		n = min(n, limit)
	}
	if i := bytes.IndexByte(b.buf[b.pos:b.pos+n], '\n'); i >= 0 {
		return b.take(i + 1), nil
	}
	if n == limit {
		return b.take(n), nil
	}
	var c collector
	c.add(b.buf[b.pos : b.pos+n])
	b.pos += n
	if limit >= 0 {
		limit -= n
	}
	for {
		b.reset()
		r, err := b.fill()
		if err != nil {
			return nil, err
		}
		if r <= 0 {
			break
		}
		if limit >= 0 {
			r = min(r, limit)
		}
		seg := b.buf[:r]
		found := false
		if i := bytes.IndexByte(seg, '\n'); i >= 0 {
			seg, found = seg[:i+1], true
		}
		c.add(seg)
		b.pos = len(seg)
		if found || len(seg) == limit {
			break
		}
		if limit >= 0 {
			limit -= len(seg)
		}
	}
	return c.bytes(), nil
}

// ReadLines is f.readlines(): every line to EOF.
func (b *BufferedReader) ReadLines() ([][]byte, error) {
	return ReadLinesOf(b.Closed, readline0(b.ReadLine))
}

// Lines is `for line in f`: each line until EOF, or an error (yielded once
// with a nil line).
func (b *BufferedReader) Lines() iter.Seq2[[]byte, error] {
	return LinesOf(b.Closed, readline0(b.ReadLine))
}

// Read implements io.Reader (readinto1): buffered bytes, or one raw read;
// io.EOF at the end of the stream; BlockingIOError where Python gets None.
func (b *BufferedReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := b.ReadInto1(p)
	return ioResult(n, err)
}

// Write is f.write(b): UnsupportedOperation('write').
func (b *BufferedReader) Write(p []byte) (int, error) { return 0, errUnsupported("write") }

// Flush is f.flush(): nothing to send; ValueError once closed.
func (b *BufferedReader) Flush() error {
	if b.Closed() {
		return errIOClosed()
	}
	return nil
}

// Close is f.close(): closes the raw stream. Idempotent.
func (b *BufferedReader) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf, b.pos, b.end = nil, 0, 0
	return b.raw.Close()
}
