package pysock

import (
	"io"
	"iter"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyio"
)

// SocketFile is what socket.makefile returns, as a facade over CPython's
// io layers: the raw socket.SocketIO (buffering=0), a BufferedReader,
// BufferedWriter or BufferedRWPair over it, or a TextIOWrapper over those.
// ClassName tells which, as type(f).__name__ does; Buffer and Raw are
// f.buffer and f.raw. It also is an io.Reader and io.Writer with Go's
// conventions (io.EOF at the end of the stream).
//
// Python's f.read(n) is ReadN(n), because Read is io.Reader's; the
// text-mode methods that return or take str are ReadText, ReadLineText,
// ReadLinesText, LinesText and WriteText. On a text file the []byte
// methods (ReadN, ReadLine, ReadLines, Lines, Read) return the UTF-8 of
// what the str method returns: decoded and newline-translated, never the
// bytes underneath (those are f.Buffer()'s). A nil []byte result stands
// for Python's None (non-blocking mode, nothing available), an empty one
// for b"".
type SocketFile struct {
	raw  *pyio.SocketIO
	bin  binaryIO            // the top binary layer (raw or buffered)
	text *pyio.TextIOWrapper // nil for a binary file
}

// binaryIO is what every binary layer has (IOBase's methods).
type binaryIO interface {
	ClassName() string
	Repr() string
	ReadN(size ...int) ([]byte, error)
	ReadInto(b []byte) (int, error)
	ReadLine(size ...int) ([]byte, error)
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Flush() error
	Close() error
	Closed() bool
	Readable() (bool, error)
	Writable() (bool, error)
	Seekable() (bool, error)
	Fileno() (int, error)
	Isatty() (bool, error)
}

// ClassName is type(f).__name__: 'SocketIO', 'BufferedReader',
// 'BufferedWriter', 'BufferedRWPair' or 'TextIOWrapper'.
func (f *SocketFile) ClassName() string {
	if f == nil {
		return ""
	}
	if f.text != nil {
		return f.text.ClassName()
	}
	return f.bin.ClassName()
}

// Repr is repr(f): <_io.BufferedReader name=5>, <_io.TextIOWrapper name=5
// mode='r' encoding='UTF-8'>, <_io.BufferedWriter name=5>,
// <_io.BufferedRWPair object at 0x...>, <socket.SocketIO object at 0x...>.
func (f *SocketFile) Repr() string {
	if f == nil {
		return "<nil>"
	}
	if f.text != nil {
		return f.text.Repr()
	}
	return f.bin.Repr()
}

// String is the same as Repr.
func (f *SocketFile) String() string { return f.Repr() }

// Buffer is f.buffer of a text file: the binary file under it, sharing its
// state (what the text layer has read ahead is no longer in it). nil for a
// binary file, which has no buffer attribute.
func (f *SocketFile) Buffer() *SocketFile {
	if f == nil {
		return nil
	}
	if f.text == nil {
		return nil
	}
	return &SocketFile{raw: f.raw, bin: f.bin}
}

// Raw is f.raw of a BufferedReader or BufferedWriter: the SocketIO. nil
// for the others, which have no raw attribute.
func (f *SocketFile) Raw() *SocketFile {
	if f == nil {
		return nil
	}
	switch f.bin.(type) {
	case *pyio.BufferedReader, *pyio.BufferedWriter:
		if f.text == nil {
			return &SocketFile{raw: f.raw, bin: f.raw}
		}
	}
	return nil
}

// Name is f.name: the fd, or -1 once closed. (A BufferedRWPair, and a
// text file over one, has no name in Python; this gives the raw stream's.)
func (f *SocketFile) Name() int {
	if f == nil {
		return -1
	}
	return f.raw.Name()
}

// Mode is f.mode and whether f has one: the raw SocketIO and the
// buffered reader or writer report 'rb', 'wb' or 'rwb', a text file the
// mode makefile was given; a BufferedRWPair has no mode (false).
func (f *SocketFile) Mode() (string, bool) {
	if f == nil {
		return "", false
	}
	if f.text != nil {
		return f.text.Mode(), true
	}
	if _, pair := f.bin.(*pyio.BufferedRWPair); pair {
		return "", false
	}
	return f.raw.Mode(), true
}

// Closed is f.closed.
func (f *SocketFile) Closed() bool {
	if f == nil {
		return true
	}
	return f.bin.Closed()
}

// Readable is f.readable(). Once the file is closed it is ValueError('I/O
// operation on closed socket.'), as CPython's, except where CPython
// answers false without looking (a BufferedWriter, or a text file over
// one).
func (f *SocketFile) Readable() (bool, error) {
	if f == nil {
		return false, errNilFile()
	}
	return f.top().Readable()
}

// Writable is f.writable(), with Readable's rules (false without an
// error for a closed BufferedReader).
func (f *SocketFile) Writable() (bool, error) {
	if f == nil {
		return false, errNilFile()
	}
	return f.top().Writable()
}

// Seekable is f.seekable(): false, and Readable's ValueError once closed
// (a BufferedRWPair answers false even then).
func (f *SocketFile) Seekable() (bool, error) {
	if f == nil {
		return false, errNilFile()
	}
	return f.top().Seekable()
}

// Isatty is f.isatty(): false; ValueError('I/O operation on closed file.')
// once closed.
func (f *SocketFile) Isatty() (bool, error) {
	if f == nil {
		return false, errNilFile()
	}
	return f.top().Isatty()
}

// Fileno is f.fileno(): the socket's fd. Once the file is closed it is -1
// with ValueError('I/O operation on closed file.'); a BufferedRWPair (mode
// 'rwb' or 'rw' with buffering) has no fileno: -1 with
// UnsupportedOperation('fileno'), as in CPython.
func (f *SocketFile) Fileno() (int, error) {
	if f == nil {
		return -1, errNilFile()
	}
	return f.top().Fileno()
}

// top is the outermost layer: the text wrapper or the binary file.
func (f *SocketFile) top() interface {
	Readable() (bool, error)
	Writable() (bool, error)
	Seekable() (bool, error)
	Fileno() (int, error)
	Isatty() (bool, error)
} {
	if f.text != nil {
		return f.text
	}
	return f.bin
}

// Encoding is f.encoding for a text file ("" for binary ones).
func (f *SocketFile) Encoding() string {
	if f == nil {
		return ""
	}
	if f.text == nil {
		return ""
	}
	return f.text.Encoding()
}

// Errors is f.errors for a text file: how undecodable bytes and
// unencodable characters are handled, 'strict' (UnicodeDecodeError /
// UnicodeEncodeError, the default), 'replace' (U+FFFD, '?') or 'ignore';
// other handlers act as 'strict'. "" for binary files.
func (f *SocketFile) Errors() string {
	if f == nil {
		return ""
	}
	if f.text == nil {
		return ""
	}
	return f.text.Errors()
}

// ReadN is f.read(size=-1): size bytes, fewer at the end of the stream, or
// everything to the end for a negative size; on a raw (buffering=0) file
// one recv. On a text file, the UTF-8 of f.read(size) (size characters).
func (f *SocketFile) ReadN(size ...int) ([]byte, error) {
	if f == nil {
		return nil, errNilFile()
	}
	if f.text != nil {
		s, err := f.text.ReadText(size...)
		return textBytes(s, err)
	}
	return f.bin.ReadN(size...)
}

func textBytes(s string, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// Read1 is f.read1(size=-1): buffered bytes, or at most one read from the
// socket. SocketIO and TextIOWrapper have no read1; there it is ReadN.
func (f *SocketFile) Read1(size ...int) ([]byte, error) {
	if f == nil {
		return nil, errNilFile()
	}
	if r1, ok := f.bin.(interface{ Read1(...int) ([]byte, error) }); ok && f.text == nil {
		return r1.Read1(size...)
	}
	return f.ReadN(size...)
}

// Peek is f.peek(size=0) of a BufferedReader or BufferedRWPair;
// UnsupportedOperation('peek') for the others, which have none.
func (f *SocketFile) Peek(size ...int) ([]byte, error) {
	if f == nil {
		return nil, errNilFile()
	}
	if p, ok := f.bin.(interface{ Peek(...int) ([]byte, error) }); ok && f.text == nil {
		return p.Peek(size...)
	}
	return nil, pyerr.NewUnsupportedOperation("peek")
}

// ReadInto is f.readinto(b): the count read into b; -1 stands for Python's
// None (non-blocking mode, nothing available). A TextIOWrapper has no
// readinto: on a text file it is Read's count of decoded UTF-8, 0 at the
// end of the stream.
func (f *SocketFile) ReadInto(b []byte) (int, error) {
	if f == nil {
		return 0, errNilFile()
	}
	if f.text != nil {
		n, err := f.text.Read(b)
		if err == io.EOF {
			return 0, nil
		}
		return n, err
	}
	return f.bin.ReadInto(b)
}

// ReadLine is f.readline(size=-1): through the next b'\n', at most size
// bytes, or what is left at the end of the stream. On a text file, the
// UTF-8 of f.readline(size): decoded, newline-translated, size characters.
func (f *SocketFile) ReadLine(size ...int) ([]byte, error) {
	if f == nil {
		return nil, errNilFile()
	}
	if f.text != nil {
		s, err := f.text.ReadLineText(size...)
		return textBytes(s, err)
	}
	return f.bin.ReadLine(size...)
}

// ReadLines is f.readlines(): every line to the end of the stream (text
// files: each line as ReadLine gives it).
func (f *SocketFile) ReadLines() ([][]byte, error) {
	if f == nil {
		return nil, errNilFile()
	}
	return pyio.ReadLinesOf(f.Closed, func() ([]byte, error) { return f.ReadLine() })
}

// Lines is `for line in f`: each line (as ReadLine gives it) until the end
// of the stream; an error is yielded once, with a nil line, and ends the
// sequence. Closed: ValueError('I/O operation on closed file.').
func (f *SocketFile) Lines() iter.Seq2[[]byte, error] {
	if f == nil {
		return func(yield func([]byte, error) bool) { yield(nil, errNilFile()) }
	}
	return pyio.LinesOf(f.Closed, func() ([]byte, error) { return f.ReadLine() })
}

// LinesText is `for line in f` on a text file: each line as str (binary
// files: the line's bytes as a string), as Lines.
func (f *SocketFile) LinesText() iter.Seq2[string, error] {
	if f == nil {
		return func(yield func(string, error) bool) { yield("", errNilFile()) }
	}
	return pyio.LinesOf(f.Closed, func() (string, error) { return f.ReadLineText() })
}

// ReadLinesText is f.readlines() on a text file: every line as str,
// decoded and newline-translated.
func (f *SocketFile) ReadLinesText() ([]string, error) {
	if f == nil {
		return nil, errNilFile()
	}
	return pyio.ReadLinesOf(f.Closed, func() (string, error) { return f.ReadLineText() })
}

// Read implements io.Reader: buffered bytes or at most one read from the
// socket; io.EOF at the end of the stream; BlockingIOError in non-blocking
// mode when nothing is available. On a text file, the UTF-8 of the
// decoded text.
func (f *SocketFile) Read(p []byte) (int, error) {
	if f == nil {
		return 0, errNilFile()
	}
	if f.text != nil {
		return f.text.Read(p)
	}
	return f.bin.Read(p)
}

// Write is f.write(b) for a binary file, and io.Writer: buffered files
// keep the data until their buffer fills, Flush or Close; a raw file sends
// at once, all of b (Python's write sends once and may return a short
// count or None: that is WriteSome), stopping with BlockingIOError where
// a non-blocking socket takes no more. For a text file, b is taken as
// UTF-8 text (see WriteText).
func (f *SocketFile) Write(b []byte) (int, error) {
	if f == nil {
		return 0, errNilFile()
	}
	if f.text != nil {
		return f.text.Write(b)
	}
	return f.bin.Write(b)
}

// WriteSome is f.write(b) with Python's result where it differs from
// io.Writer's: on a raw (buffering=0) file one send, whose count may be
// short, and -1 for Python's None (a non-blocking socket that took
// nothing). On the other files it is Write.
func (f *SocketFile) WriteSome(b []byte) (int, error) {
	if f == nil {
		return 0, errNilFile()
	}
	if f.text == nil && f.bin == binaryIO(f.raw) {
		return f.raw.WriteSome(b)
	}
	return f.Write(b)
}

// Flush is f.flush(): sends what the write buffer holds.
func (f *SocketFile) Flush() error {
	if f == nil {
		return errNilFile()
	}
	if f.text != nil {
		return f.text.Flush()
	}
	return f.bin.Flush()
}

// Close is f.close(): flushes, then releases the socket (closing it if
// the socket itself was closed and this was its last file).
func (f *SocketFile) Close() error {
	if f == nil {
		return nil
	}
	if f.text != nil {
		return f.text.Close()
	}
	return f.bin.Close()
}

// ReadText is f.read(size=-1) for a text file: size characters (all to
// the end of the stream for a negative size), decoded, with universal
// newlines unless newline was given. On a binary file, ReadN's bytes.
func (f *SocketFile) ReadText(size ...int) (string, error) {
	if f == nil {
		return "", errNilFile()
	}
	if f.text != nil {
		return f.text.ReadText(size...)
	}
	b, err := f.bin.ReadN(size...)
	return string(b), err
}

// ReadLineText is f.readline(size=-1) for a text file. On a binary file,
// ReadLine's bytes.
func (f *SocketFile) ReadLineText(size ...int) (string, error) {
	if f == nil {
		return "", errNilFile()
	}
	if f.text != nil {
		return f.text.ReadLineText(size...)
	}
	b, err := f.bin.ReadLine(size...)
	return string(b), err
}

// WriteText is f.write(s) for a text file: it returns len(s) in
// characters, translates '\n' to newline when newline is '\r' or '\r\n',
// and encodes with the errors handler (UnicodeEncodeError when strict).
// The data waits in the buffer until Flush or Close. A binary file's
// write takes bytes: TypeError, as in CPython.
func (f *SocketFile) WriteText(s string) (int, error) {
	if f == nil {
		return 0, errNilFile()
	}
	if f.text != nil {
		return f.text.WriteText(s)
	}
	return 0, pyerr.NewTypeError("a bytes-like object is required, not 'str'")
}

// errNilFile is what a nil *SocketFile's calls return: a closed file's
// ValueError (a nil *SocketFile behaves as a closed file, as a nil
// *Socket behaves as a closed socket; Close does nothing).
func errNilFile() error { return pyerr.NewValueError("I/O operation on closed file.") }
