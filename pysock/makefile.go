package pysock

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
)

// defaultBufferSize is io.DEFAULT_BUFFER_SIZE.
const defaultBufferSize = 8192

// MakeFileOptions are makefile's other arguments: buffering (nil for
// None), and the text-mode encoding, errors and newline (nil for None).
type MakeFileOptions struct {
	Buffering any
	Encoding  any
	Errors    any
	Newline   any
}

// SocketFile is what socket.makefile returns: Python's SocketIO (raw,
// buffering=0), BufferedReader / BufferedWriter / BufferedRWPair, or a
// TextIOWrapper over them, as mode and buffering select. It also is an
// io.Reader and io.Writer with Go's conventions (io.EOF at the end of the
// stream).
//
// Python's f.read(n) is ReadN(n), because Read is io.Reader's; the
// text-mode methods that return or take str are ReadText, ReadLineText and
// WriteText. A nil []byte result stands for Python's None (non-blocking
// mode, nothing available), an empty one for b”.
type SocketFile struct {
	sock            *Socket
	mode            string
	reading         bool
	writing         bool
	raw             bool // buffering=0: the SocketIO itself
	text            bool
	bufSize         int
	fillBuf         []byte // fill's receive buffer, kept between reads
	encoding        string
	errors          string
	newline         *string
	mu              sync.Mutex
	rawClosed       bool
	closed          bool
	timedOut        bool // SocketIO._timeout_occurred
	rbuf            []byte
	wbuf            []byte
	pendingCR       bool // universal newlines: a '\r' whose '\n' may follow
	decoded         []rune
	undecodedPrefix []byte
	eof             bool
	name            int
}

// MakeFile is socket.makefile(mode='r', buffering=None, *, encoding=None,
// errors=None, newline=None). mode is made of 'r', 'w' and 'b'. The socket
// stays open until it and every file made from it are closed. A read that
// times out leaves the file unable to read again: OSError('cannot read
// from timed out object'), as in CPython.
func (s *Socket) MakeFile(mode string, opts ...MakeFileOptions) (*SocketFile, error) {
	var o MakeFileOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if mode == "" {
		mode = "r"
	}
	for _, c := range mode {
		if c != 'r' && c != 'w' && c != 'b' {
			return nil, pyerr.NewValueError(fmt.Sprintf("invalid mode %s (only r, w, b allowed)", quoteStr(mode)))
		}
	}
	f := &SocketFile{sock: s, mode: mode, reading: strings.Contains(mode, "r"), writing: strings.Contains(mode, "w")}
	binary := strings.Contains(mode, "b")
	bufsize := defaultBufferSize
	if o.Buffering != nil {
		// The io classes take a Py_ssize_t and allocate the buffer at
		// once: MemoryError here for a size the machine cannot hold.
		n, ok, over := asIndex(o.Buffering)
		if !ok {
			return nil, errNotInteger(o.Buffering)
		}
		if over {
			return nil, pyerr.NewOverflowError("Python int too large to convert to C ssize_t")
		}
		if n >= 0 {
			if err := checkAlloc(int(n)); err != nil {
				return nil, err
			}
			bufsize = int(n)
		}
	}
	f.bufSize = bufsize
	if bufsize == 0 {
		if !binary {
			return nil, pyerr.NewValueError("unbuffered streams must be binary")
		}
		f.raw = true
	}
	if !binary {
		f.text = true
		enc, err := textEncoding(o.Encoding)
		if err != nil {
			return nil, err
		}
		f.encoding = enc
		f.errors = "strict"
		if o.Errors != nil {
			e, ok := o.Errors.(string)
			if !ok {
				return nil, pyerr.NewTypeError(fmt.Sprintf("TextIOWrapper() argument 'errors' must be str or None, not %s", pyTypeName(o.Errors)))
			}
			f.errors = e
		}
		if o.Newline != nil {
			nl, ok := o.Newline.(string)
			if !ok {
				return nil, pyerr.NewTypeError(fmt.Sprintf("TextIOWrapper() argument 'newline' must be str or None, not %s", pyTypeName(o.Newline)))
			}
			if nl != "" && nl != "\n" && nl != "\r" && nl != "\r\n" {
				return nil, pyerr.NewValueError("illegal newline value: " + nl)
			}
			f.newline = &nl
		}
	}
	f.name = s.Fileno()
	s.increfIO()
	return f, nil
}

func quoteStr(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

// textEncoding resolves the encodings pysock can decode: UTF-8 (the
// default, shown as 'UTF-8' as the C locale gives it), ASCII and Latin-1.
func textEncoding(v any) (string, error) {
	if v == nil {
		return "UTF-8", nil
	}
	name, ok := v.(string)
	if !ok {
		return "", pyerr.NewTypeError(fmt.Sprintf("TextIOWrapper() argument 'encoding' must be str or None, not %s", pyTypeName(v)))
	}
	switch strings.ReplaceAll(strings.ToLower(name), "_", "-") {
	case "utf-8", "utf8", "u8":
		return name, nil
	case "ascii", "us-ascii":
		return name, nil
	case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1":
		return name, nil
	}
	return "", pyerr.NewLookupError("unknown encoding: " + name)
}

func (f *SocketFile) codec() string {
	switch strings.ReplaceAll(strings.ToLower(f.encoding), "_", "-") {
	case "ascii", "us-ascii":
		return "ascii"
	case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1":
		return "latin-1"
	}
	return "utf-8"
}

// Repr is repr(f): <_io.BufferedReader name=5>, <_io.TextIOWrapper name=5
// mode='r' encoding='UTF-8'>, <_io.BufferedWriter name=5>,
// <_io.BufferedRWPair object>, <socket.SocketIO name=5 mode='rb'>.
func (f *SocketFile) Repr() string {
	name := f.Name()
	switch {
	case f.text && f.reading && f.writing:
		return fmt.Sprintf("<_io.TextIOWrapper mode=%s encoding=%s>", quoteStr(f.mode), quoteStr(f.encoding))
	case f.text:
		return fmt.Sprintf("<_io.TextIOWrapper name=%d mode=%s encoding=%s>", name, quoteStr(f.mode), quoteStr(f.encoding))
	case f.raw:
		return fmt.Sprintf("<socket.SocketIO name=%d mode=%s>", name, quoteStr(f.rawMode()))
	case f.reading && f.writing:
		return "<_io.BufferedRWPair object>"
	case f.reading:
		return fmt.Sprintf("<_io.BufferedReader name=%d>", name)
	}
	return fmt.Sprintf("<_io.BufferedWriter name=%d>", name)
}

// String is the same as Repr.
func (f *SocketFile) String() string { return f.Repr() }

func (f *SocketFile) rawMode() string {
	m := ""
	if f.reading {
		m += "r"
	}
	if f.writing {
		m += "w"
	}
	return m + "b"
}

// Name is f.name: the fd, or -1 once closed.
func (f *SocketFile) Name() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rawClosed {
		return -1
	}
	return f.name
}

// Mode is f.mode: the mode makefile was given (the raw SocketIO reports
// 'rb', 'wb' or 'rwb').
func (f *SocketFile) Mode() string {
	if f.raw {
		return f.rawMode()
	}
	return f.mode
}

// Closed is f.closed.
func (f *SocketFile) Closed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

// Readable is f.readable().
func (f *SocketFile) Readable() bool { return f.reading }

// Writable is f.writable().
func (f *SocketFile) Writable() bool { return f.writing }

// Seekable is f.seekable(): always false.
func (f *SocketFile) Seekable() bool { return false }

// Fileno is f.fileno(): the socket's fd, or -1 once the file is closed
// (CPython raises ValueError there).
func (f *SocketFile) Fileno() int {
	if f.Closed() {
		return -1
	}
	return f.sock.Fileno()
}

// Encoding is f.encoding for a text file ("" for binary ones).
func (f *SocketFile) Encoding() string { return f.encoding }

// Errors is f.errors for a text file: how undecodable bytes are handled,
// 'strict' (UnicodeDecodeError, the default), 'replace' (U+FFFD) or
// 'ignore'; other handlers act as 'strict'.
func (f *SocketFile) Errors() string { return f.errors }

// badByte applies the errors handler to an undecodable byte: the rune to
// use (if any), or the error.
func (f *SocketFile) badByte(codec string, data []byte, i int, reason string) (rune, bool, error) {
	switch f.errors {
	case "replace":
		return utf8.RuneError, true, nil
	case "ignore":
		return 0, false, nil
	}
	return 0, false, pyerr.NewUnicodeDecodeError(codec, data, i, i+1, reason)
}

func errClosedFile(op string) error {
	if op == "" {
		return pyerr.NewValueError("I/O operation on closed file.")
	}
	return pyerr.NewValueError(op + " of closed file")
}

// checkRead is the readable/closed check of each layer.
func (f *SocketFile) checkRead(op string) error {
	if f.closed {
		if f.raw {
			return errClosedFile("")
		}
		return errClosedFile(op)
	}
	if !f.reading {
		switch {
		case f.raw:
			return pyerr.NewUnsupportedOperation("File or stream is not readable.")
		case f.text:
			return pyerr.NewUnsupportedOperation("not readable")
		}
		return pyerr.NewUnsupportedOperation(op)
	}
	return nil
}

func (f *SocketFile) checkWrite() error {
	if f.closed {
		if f.raw {
			return errClosedFile("")
		}
		return pyerr.NewValueError("write to closed file")
	}
	if !f.writing {
		switch {
		case f.raw:
			return pyerr.NewUnsupportedOperation("File or stream is not writable.")
		case f.text:
			return pyerr.NewUnsupportedOperation("not writable")
		}
		return pyerr.NewUnsupportedOperation("write")
	}
	return nil
}

// rawReadInto is SocketIO.readinto: n, or none for "would block".
func (f *SocketFile) rawReadInto(b []byte) (n int, none bool, err error) {
	if f.timedOut {
		return 0, false, pyerr.NewOSError("cannot read from timed out object")
	}
	n, err = f.sock.RecvInto(b)
	if err != nil {
		if pyerr.IsInstance(err, "TimeoutError") && !errors.Is(err, syscall.ETIMEDOUT) {
			f.timedOut = true
			return 0, false, err
		}
		if errors.Is(err, syscall.EAGAIN) {
			return 0, true, nil
		}
		return 0, false, err
	}
	return n, false, nil
}

// rawWrite is SocketIO.write: n, or none for "would block".
func (f *SocketFile) rawWrite(b []byte) (n int, none bool, err error) {
	n, err = f.sock.Send(b)
	if err != nil {
		if errors.Is(err, syscall.EAGAIN) {
			return 0, true, nil
		}
		return 0, false, err
	}
	return n, false, nil
}

// fill reads once into the read buffer; 0 at EOF.
func (f *SocketFile) fill() (n int, none bool, err error) {
	size := max(f.bufSize, 1)
	if f.raw {
		size = 8192
	}
	if len(f.fillBuf) != size {
		f.fillBuf = make([]byte, size)
	}
	buf := f.fillBuf
	n, none, err = f.rawReadInto(buf)
	if n > 0 {
		f.rbuf = append(f.rbuf, buf[:n]...)
	}
	return n, none, err
}

// readBytes is BufferedReader.read(n) (n < 0: to EOF) on the byte level.
func (f *SocketFile) readBytes(n int) ([]byte, error) {
	for n < 0 || len(f.rbuf) < n {
		got, none, err := f.fill()
		if err != nil {
			return nil, err
		}
		if none {
			if len(f.rbuf) == 0 {
				return nil, nil
			}
			break
		}
		if got == 0 {
			break
		}
	}
	return f.takeBytes(n), nil
}

// read1Bytes is BufferedReader.read1(n): at most one raw read.
func (f *SocketFile) read1Bytes(n int) ([]byte, error) {
	if len(f.rbuf) == 0 {
		if _, _, err := f.fill(); err != nil {
			return nil, err
		}
	}
	return f.takeBytes(n), nil
}

// readLineBytes is BufferedReader.readline(limit).
func (f *SocketFile) readLineBytes(limit int) ([]byte, error) {
	for {
		if i := bytes.IndexByte(f.rbuf, '\n'); i >= 0 && (limit < 0 || i < limit) {
			return f.takeBytes(i + 1), nil
		}
		if limit >= 0 && len(f.rbuf) >= limit {
			break
		}
		got, none, err := f.fill()
		if err != nil {
			return nil, err
		}
		if none || got == 0 {
			break
		}
	}
	return f.takeBytes(limit), nil
}

// takeBytes removes and returns up to n buffered bytes (all for n < 0).
func (f *SocketFile) takeBytes(n int) []byte {
	k := len(f.rbuf)
	if n >= 0 {
		k = min(k, n)
	}
	out := append([]byte{}, f.rbuf[:k]...)
	f.rbuf = f.rbuf[k:]
	return out
}

func sizeArg(size []int) int {
	if len(size) > 0 {
		return size[0]
	}
	return -1
}

// ReadN is f.read(size=-1) for a binary file: size bytes, fewer at the end
// of the stream, or everything to the end for a negative size. On a raw
// (buffering=0) file it is one recv.
func (f *SocketFile) ReadN(size ...int) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.checkRead("read"); err != nil {
		return nil, err
	}
	n := sizeArg(size)
	if f.raw && n >= 0 {
		buf := make([]byte, n)
		got, none, err := f.rawReadInto(buf)
		if err != nil || none {
			return nil, err
		}
		return buf[:got], nil
	}
	return f.readBytes(n)
}

// Read1 is f.read1(size=-1): at most one read from the socket.
func (f *SocketFile) Read1(size ...int) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.checkRead("read"); err != nil {
		return nil, err
	}
	return f.read1Bytes(sizeArg(size))
}

// ReadInto is f.readinto(b): the count read into b; -1 stands for Python's
// None (non-blocking mode, nothing available).
func (f *SocketFile) ReadInto(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.checkRead("readinto"); err != nil {
		return 0, err
	}
	if f.raw {
		n, none, err := f.rawReadInto(b)
		if none {
			return -1, err
		}
		return n, err
	}
	data, err := f.readBytes(len(b))
	if err != nil {
		return 0, err
	}
	if data == nil {
		return -1, nil
	}
	return copy(b, data), nil
}

// ReadLine is f.readline(size=-1) for a binary file: through the next
// b'\n', at most size bytes, or what is left at the end of the stream.
func (f *SocketFile) ReadLine(size ...int) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.checkRead("readline"); err != nil {
		return nil, err
	}
	return f.readLineBytes(sizeArg(size))
}

// ReadLines is f.readlines(): every line to the end of the stream.
func (f *SocketFile) ReadLines() ([][]byte, error) {
	var out [][]byte
	for {
		line, err := f.ReadLine()
		if err != nil {
			return out, err
		}
		if len(line) == 0 {
			return out, nil
		}
		out = append(out, line)
	}
}

// Read implements io.Reader: at most one read from the socket when the
// buffer is empty; io.EOF at the end of the stream; BlockingIOError in
// non-blocking mode when nothing is available.
func (f *SocketFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if f.text {
		s, err := f.readText(len(p)/utf8.UTFMax+1, false)
		if err != nil {
			return 0, err
		}
		if s == "" {
			return 0, io.EOF
		}
		return copy(p, s), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.checkRead("read"); err != nil {
		return 0, err
	}
	var data []byte
	var err error
	if f.raw {
		n, none, err := f.rawReadInto(p)
		if none {
			return 0, pyerr.FromErrno(syscall.EAGAIN)
		}
		if err == nil && n == 0 {
			return 0, io.EOF
		}
		return n, err
	}
	if len(f.rbuf) == 0 {
		_, none, err := f.fill()
		if err != nil {
			return 0, err
		}
		if none {
			return 0, pyerr.FromErrno(syscall.EAGAIN)
		}
	}
	data, err = f.read1Bytes(len(p))
	if err != nil {
		return 0, err
	}
	if len(data) == 0 {
		return 0, io.EOF
	}
	return copy(p, data), nil
}

// Write is f.write(b) for a binary file, and io.Writer: buffered files
// keep the data until their buffer fills, Flush or Close; a raw file sends
// at once and may take fewer bytes (then, unlike Python, which returns
// None when nothing could be sent, it returns BlockingIOError). For a text
// file, b is taken as UTF-8 text (see WriteText).
func (f *SocketFile) Write(b []byte) (int, error) {
	if f.text {
		if _, err := f.WriteText(string(b)); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writeBytes(b)
}

func (f *SocketFile) writeBytes(b []byte) (int, error) {
	if err := f.checkWrite(); err != nil {
		return 0, err
	}
	if f.raw {
		n, none, err := f.rawWrite(b)
		if none {
			return 0, pyerr.FromErrno(syscall.EAGAIN)
		}
		return n, err
	}
	f.wbuf = append(f.wbuf, b...)
	if len(f.wbuf) > f.bufSize {
		if err := f.flushLocked(); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// Flush is f.flush(): sends what the write buffer holds.
func (f *SocketFile) Flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		if f.raw {
			return errClosedFile("")
		}
		return pyerr.NewValueError("flush of closed file")
	}
	return f.flushLocked()
}

func (f *SocketFile) flushLocked() error {
	for len(f.wbuf) > 0 {
		n, none, err := f.rawWrite(f.wbuf)
		if err != nil {
			return err
		}
		if none {
			return pyerr.NewOSError(int(syscall.EAGAIN), "write could not complete without blocking", 0)
		}
		f.wbuf = f.wbuf[n:]
	}
	f.wbuf = nil
	return nil
}

// Close is f.close(): flushes, then releases the socket (closing it if
// the socket itself was closed and this was its last file).
func (f *SocketFile) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	var ferr error
	if f.writing {
		ferr = f.flushLocked()
	}
	f.closed, f.rawClosed = true, true
	f.fillBuf = nil
	f.mu.Unlock()
	if err := f.sock.decrefIO(); err != nil && ferr == nil {
		ferr = err
	}
	return ferr
}

// ReadText is f.read(size=-1) for a text file: size characters (all to
// the end of the stream for a negative size), decoded, with universal
// newlines unless newline was given.
func (f *SocketFile) ReadText(size ...int) (string, error) {
	return f.readText(sizeArg(size), true)
}

// ReadLineText is f.readline(size=-1) for a text file.
func (f *SocketFile) ReadLineText(size ...int) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.checkRead("readline"); err != nil {
		return "", err
	}
	limit := sizeArg(size)
	for {
		if i := f.lineEnd(); i >= 0 && (limit < 0 || i <= limit) {
			return f.take(i), nil
		}
		if limit >= 0 && len(f.decoded) >= limit {
			return f.take(limit), nil
		}
		more, err := f.decodeMore()
		if err != nil {
			return "", err
		}
		if !more {
			return f.take(len(f.decoded)), nil
		}
	}
}

func (f *SocketFile) take(n int) string {
	s := string(f.decoded[:n])
	f.decoded = f.decoded[n:]
	return s
}

// lineEnd is the length of the first line in decoded (through its
// terminator), or -1.
func (f *SocketFile) lineEnd() int {
	d := f.decoded
	switch {
	case f.newline == nil || *f.newline == "\n":
		for i, r := range d {
			if r == '\n' {
				return i + 1
			}
		}
	case *f.newline == "":
		for i, r := range d {
			if r == '\n' {
				return i + 1
			}
			if r == '\r' {
				if i+1 < len(d) {
					if d[i+1] == '\n' {
						return i + 2
					}
					return i + 1
				}
				if f.eof {
					return i + 1
				}
				return -1 // a '\n' may follow
			}
		}
	default:
		nl := []rune(*f.newline)
		for i := 0; i+len(nl) <= len(d); i++ {
			if string(d[i:i+len(nl)]) == *f.newline {
				return i + len(nl)
			}
		}
	}
	return -1
}

func (f *SocketFile) readText(size int, lock bool) (string, error) {
	if lock {
		f.mu.Lock()
		defer f.mu.Unlock()
	}
	if err := f.checkRead("read"); err != nil {
		return "", err
	}
	for size < 0 || len(f.decoded) < size {
		more, err := f.decodeMore()
		if err != nil {
			return "", err
		}
		if !more {
			break
		}
		if !lock && len(f.decoded) > 0 {
			break // io.Reader: return what one read gave
		}
	}
	n := len(f.decoded)
	if size >= 0 {
		n = min(n, size)
	}
	return f.take(n), nil
}

// decodeMore reads one chunk (TextIOWrapper's read1 of 8192) and decodes
// it; false at the end of the stream (or when nothing is available in
// non-blocking mode, which TextIOWrapper cannot tell from it).
func (f *SocketFile) decodeMore() (bool, error) {
	if f.eof {
		return false, nil
	}
	chunk, err := f.read1Bytes(defaultBufferSize)
	if err != nil {
		return false, err
	}
	if len(chunk) == 0 {
		f.eof = true
		if len(f.undecodedPrefix) > 0 && f.codec() == "utf-8" {
			bad := f.undecodedPrefix
			f.undecodedPrefix = nil
			return false, pyerr.NewUnicodeDecodeError("utf-8", bad, 0, len(bad), "unexpected end of data")
		}
		if f.pendingCR {
			f.pendingCR = false
			f.decoded = append(f.decoded, '\n')
		}
		return len(f.decoded) > 0, nil
	}
	data := append(f.undecodedPrefix, chunk...)
	f.undecodedPrefix = nil
	var runes []rune
	switch f.codec() {
	case "latin-1":
		for _, c := range data {
			runes = append(runes, rune(c))
		}
	case "ascii":
		for i, c := range data {
			if c >= 0x80 {
				r, ok, err := f.badByte("ascii", data, i, "ordinal not in range(128)")
				if err != nil {
					return false, err
				}
				if ok {
					runes = append(runes, r)
				}
				continue
			}
			runes = append(runes, rune(c))
		}
	default:
		for i := 0; i < len(data); {
			r, w := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && w <= 1 {
				if !utf8.FullRune(data[i:]) {
					f.undecodedPrefix = append([]byte{}, data[i:]...)
					break
				}
				r, ok, err := f.badByte("utf-8", data, i, utf8Reason(data[i:]))
				if err != nil {
					return false, err
				}
				if ok {
					runes = append(runes, r)
				}
				i++
				continue
			}
			runes = append(runes, r)
			i += w
		}
	}
	f.appendTranslated(runes)
	return true, nil
}

// utf8Reason is CPython's reason for an undecodable UTF-8 sequence.
func utf8Reason(b []byte) string {
	c := b[0]
	if c < 0xc2 || c > 0xf4 {
		return "invalid start byte"
	}
	return "invalid continuation byte"
}

// appendTranslated applies universal newlines (newline=None): '\r\n' and
// '\r' become '\n'.
func (f *SocketFile) appendTranslated(runes []rune) {
	if f.newline != nil {
		f.decoded = append(f.decoded, runes...)
		return
	}
	for _, r := range runes {
		if f.pendingCR {
			f.pendingCR = false
			f.decoded = append(f.decoded, '\n')
			if r == '\n' {
				continue
			}
		}
		if r == '\r' {
			f.pendingCR = true
			continue
		}
		f.decoded = append(f.decoded, r)
	}
}

// WriteText is f.write(s) for a text file: it returns len(s) in
// characters, as Python does, and translates '\n' to newline when newline
// is '\r' or '\r\n'. The data waits in the buffer until Flush or Close.
func (f *SocketFile) WriteText(s string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, pyerr.NewValueError("I/O operation on closed file.")
	}
	if !f.writing {
		return 0, pyerr.NewUnsupportedOperation("not writable")
	}
	text := s
	if f.newline != nil && (*f.newline == "\r" || *f.newline == "\r\n") {
		text = strings.ReplaceAll(s, "\n", *f.newline)
	}
	var b []byte
	switch f.codec() {
	case "utf-8":
		b = []byte(text)
	default:
		limit := rune(0xff)
		if f.codec() == "ascii" {
			limit = 0x7f
		}
		for i, r := range []rune(text) {
			if r > limit {
				return 0, pyerr.NewUnicodeError(fmt.Sprintf("'%s' codec can't encode character '\\x%02x' in position %d", f.codec(), r, i))
			}
			b = append(b, byte(r))
		}
	}
	if _, err := f.writeBytes(b); err != nil {
		return 0, err
	}
	return utf8.RuneCountInString(s), nil
}
