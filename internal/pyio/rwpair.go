package pyio

import (
	"fmt"
	"iter"
)

// BufferedRWPair is io.BufferedRWPair(raw, raw, buffer_size): what
// makefile('rwb') returns, a BufferedReader and a BufferedWriter over the
// same raw stream. Like CPython's it has no name or mode.
type BufferedRWPair struct {
	reader *BufferedReader
	writer *BufferedWriter
}

// NewBufferedRWPair is io.BufferedRWPair(reader, writer, buffer_size).
func NewBufferedRWPair(reader, writer RawIO, size int) (*BufferedRWPair, error) {
	r, err := NewBufferedReader(reader, size)
	if err != nil {
		return nil, err
	}
	w, err := NewBufferedWriter(writer, size)
	if err != nil {
		return nil, err
	}
	return &BufferedRWPair{reader: r, writer: w}, nil
}

// ClassName is type(f).__name__: 'BufferedRWPair'.
func (p *BufferedRWPair) ClassName() string { return "BufferedRWPair" }

// Repr is repr(f): <_io.BufferedRWPair object at 0x...>.
func (p *BufferedRWPair) Repr() string { return fmt.Sprintf("<_io.BufferedRWPair object at %p>", p) }

// String is Repr.
func (p *BufferedRWPair) String() string { return p.Repr() }

// Closed is f.closed (the writer's).
func (p *BufferedRWPair) Closed() bool { return p.writer.Closed() }

// Readable is f.readable(): the reader's (an error once closed).
func (p *BufferedRWPair) Readable() (bool, error) { return p.reader.Readable() }

// Writable is f.writable(): the writer's.
func (p *BufferedRWPair) Writable() (bool, error) { return p.writer.Writable() }

// Seekable is f.seekable(): false, even once closed.
func (p *BufferedRWPair) Seekable() (bool, error) { return false, nil }

// Fileno is f.fileno(): a BufferedRWPair has none,
// UnsupportedOperation('fileno').
func (p *BufferedRWPair) Fileno() (int, error) { return -1, errUnsupported("fileno") }

// Isatty is f.isatty(): the writer's, then the reader's.
func (p *BufferedRWPair) Isatty() (bool, error) {
	if tty, err := p.writer.Isatty(); tty || err != nil {
		return tty, err
	}
	return p.reader.Isatty()
}

// ReadN is f.read(size=-1), the reader's.
func (p *BufferedRWPair) ReadN(size ...int) ([]byte, error) { return p.reader.ReadN(size...) }

// Read1 is f.read1(size=-1), the reader's.
func (p *BufferedRWPair) Read1(size ...int) ([]byte, error) { return p.reader.Read1(size...) }

// ReadInto is f.readinto(b), the reader's.
func (p *BufferedRWPair) ReadInto(b []byte) (int, error) { return p.reader.ReadInto(b) }

// ReadInto1 is f.readinto1(b), the reader's.
func (p *BufferedRWPair) ReadInto1(b []byte) (int, error) { return p.reader.ReadInto1(b) }

// Peek is f.peek(size=0), the reader's.
func (p *BufferedRWPair) Peek(size ...int) ([]byte, error) { return p.reader.Peek(size...) }

// ReadLine is f.readline(size=-1). A BufferedRWPair has no readline of
// its own: this is IOBase's, which peeks at what is buffered (ValueError
// ('peek of closed file') once closed), reads through the next b'\n' in
// it, and goes on. As there, size bounds each such read, not the line (a
// line can come out longer), and a read that gives None (non-blocking,
// nothing to read) is an OSError that loses the bytes taken so far.
func (p *BufferedRWPair) ReadLine(size ...int) ([]byte, error) {
	limit := sizeArg(size) // (readline(0) of a closed pair is b'', as there)
	out := []byte{}
	for limit < 0 || len(out) < limit {
		ahead, err := p.reader.Peek(1)
		if err != nil {
			return nil, err
		}
		n := 1
		if len(ahead) > 0 {
			n = 0
			for n < len(ahead) && (limit < 0 || n < limit) {
				n++
				if ahead[n-1] == '\n' {
					break
				}
			}
		}
		b, err := p.reader.ReadN(n)
		switch {
		case err != nil:
			return nil, err
		case b == nil:
			return nil, errReadNone()
		case len(b) == 0:
			return out, nil
		}
		out = append(out, b...)
		if out[len(out)-1] == '\n' {
			break
		}
	}
	return out, nil
}

// ReadLines is f.readlines().
func (p *BufferedRWPair) ReadLines() ([][]byte, error) {
	return ReadLinesOf(p.Closed, readline0(p.ReadLine))
}

// Lines is `for line in f`.
func (p *BufferedRWPair) Lines() iter.Seq2[[]byte, error] {
	return LinesOf(p.Closed, readline0(p.ReadLine))
}

// Read implements io.Reader, the reader's.
func (p *BufferedRWPair) Read(b []byte) (int, error) { return p.reader.Read(b) }

// Write is f.write(b) and io.Writer, the writer's.
func (p *BufferedRWPair) Write(b []byte) (int, error) { return p.writer.Write(b) }

// Flush is f.flush(), the writer's.
func (p *BufferedRWPair) Flush() error { return p.writer.Flush() }

// Close is f.close(): the writer, then the reader.
func (p *BufferedRWPair) Close() error {
	err := p.writer.Close()
	if rerr := p.reader.Close(); err == nil {
		err = rerr
	}
	return err
}
