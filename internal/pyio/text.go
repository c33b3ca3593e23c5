package pyio

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyrepr"
)

// Buffer is the buffered stream a TextIOWrapper sits on: BufferedReader,
// BufferedWriter or BufferedRWPair.
type Buffer interface {
	ReadN(size ...int) ([]byte, error)
	ReadInto1(b []byte) (int, error)
	Write(b []byte) (int, error)
	Flush() error
	Close() error
	Closed() bool
	Readable() (bool, error)
	Writable() (bool, error)
	Seekable() (bool, error)
	Fileno() (int, error)
	Isatty() (bool, error)
	ClassName() string
	Repr() string
}

// TextOptions are TextIOWrapper's encoding (as the caller named it; ""
// for None, and 'locale': the locale's, taken to be 'UTF-8'), errors (""
// for None: 'strict', unless ErrorsSet) and newline (nil for None), and
// the mode attribute makefile sets (none when "", unless ModeSet).
type TextOptions struct {
	Encoding  string
	Errors    string
	Newline   *string
	Mode      string
	ErrorsSet bool // errors was given: "" is errors=''
	ModeSet   bool // the mode attribute is set: "" is mode=''
}

// TextIOWrapper is io.TextIOWrapper over a buffered stream: what
// makefile('r'), ('w') and ('rw') return. It decodes incrementally
// (UTF-8, ASCII or Latin-1 with errors 'strict', 'replace' or 'ignore'),
// applies universal newlines as io.IncrementalNewlineDecoder does; reads
// and writes have locks of their own (rmu, wmu).
type TextIOWrapper struct {
	buffer    Buffer
	encoding  string
	codec     codec
	newline   *string
	mode      string
	hasMode   bool
	translate bool   // readtranslate: newline=None
	universal bool   // readuniversal: newline None or ''
	readnl    string // the newline to look for when not universal
	writenl   string // what '\n' becomes on write ("" for no change)

	// rmu is held by a read for the whole call, while it waits on the
	// socket; wmu by a write, flush or close's flush, across the buffer's
	// write, so that text reaches the buffer in the order it was written.
	// A read only tries wmu (flushPending): a write or flush never waits
	// for a read, nor a read for a write blocked in the socket, as in
	// CPython, whose text layer has no lock (a flush while another thread
	// waits in readline is the request-reply idiom).
	rmu       sync.Mutex
	wmu       sync.Mutex
	dec       []byte // decoded text not yet returned: dec[dpos:]
	dpos      int
	undecoded []byte // the decoder's buffer: an incomplete sequence
	nl        *newlineDecoder
	chunk     []byte // the read1 chunk, reused
	scratch   []byte // decoded chunk before newline translation, reused
	pending   []byte // encoded text not yet handed to the buffer
}

// NewTextIOWrapper is io.TextIOWrapper(buffer, encoding, errors, newline).
// Its checks come in CPython's order: embedded null characters in
// encoding, newline and errors, then newline's value, then the codec.
func NewTextIOWrapper(buffer Buffer, o TextOptions) (*TextIOWrapper, error) {
	t := &TextIOWrapper{buffer: buffer, encoding: o.Encoding, mode: o.Mode, hasMode: o.ModeSet || o.Mode != ""}
	nl := ""
	if o.Newline != nil {
		nl = *o.Newline
	}
	if strings.IndexByte(o.Encoding+nl+o.Errors, 0) >= 0 {
		return nil, ErrEmbeddedNull()
	}
	if o.Newline != nil {
		if nl != "" && nl != "\n" && nl != "\r" && nl != "\r\n" {
			return nil, pyerr.NewValueError("illegal newline value: " + nl)
		}
		t.newline = o.Newline
	}
	if t.encoding == "" || t.encoding == "locale" {
		t.encoding = "UTF-8"
	}
	name, err := LookupEncoding(t.encoding)
	if err != nil {
		return nil, err
	}
	t.codec = codec{name: name, errors: "strict"}
	if o.Errors != "" || o.ErrorsSet {
		t.codec.errors = o.Errors
	}
	t.translate = t.newline == nil
	t.universal = t.newline == nil || *t.newline == ""
	if !t.universal {
		t.readnl = *t.newline
		if t.readnl != "\n" {
			t.writenl = t.readnl
		}
	}
	if t.universal {
		t.nl = &newlineDecoder{translate: t.translate}
	}
	return t, nil
}

// ClassName is type(f).__name__: 'TextIOWrapper'.
func (t *TextIOWrapper) ClassName() string { return "TextIOWrapper" }

// Repr is repr(f): <_io.TextIOWrapper name=5 mode='r' encoding='UTF-8'>
// (no name over a BufferedRWPair, which has none).
func (t *TextIOWrapper) Repr() string {
	var b strings.Builder
	b.WriteString("<_io.TextIOWrapper")
	if n, ok := t.Name(); ok {
		fmt.Fprintf(&b, " name=%d", n)
	}
	if t.hasMode {
		fmt.Fprintf(&b, " mode=%s", pyrepr.Repr(t.mode))
	}
	fmt.Fprintf(&b, " encoding=%s>", pyrepr.Repr(t.encoding))
	return b.String()
}

// ErrEmbeddedNull is the ValueError('embedded null character') of a str
// argument that becomes a C string.
func ErrEmbeddedNull() error { return pyerr.NewValueError("embedded null character") }

// String is Repr.
func (t *TextIOWrapper) String() string { return t.Repr() }

// Buffer is f.buffer: the binary stream under the text layer. Bytes the
// text layer has already read and decoded are not in it any more.
func (t *TextIOWrapper) Buffer() Buffer { return t.buffer }

// Name is f.name: the buffer's, and false when it has none (a
// BufferedRWPair).
func (t *TextIOWrapper) Name() (int, bool) {
	if n, ok := t.buffer.(interface{ Name() int }); ok {
		return n.Name(), true
	}
	return 0, false
}

// Mode is f.mode as makefile set it.
func (t *TextIOWrapper) Mode() string { return t.mode }

// Encoding is f.encoding.
func (t *TextIOWrapper) Encoding() string { return t.encoding }

// Errors is f.errors.
func (t *TextIOWrapper) Errors() string { return t.codec.errors }

// Closed is f.closed (the buffer's).
func (t *TextIOWrapper) Closed() bool { return t.buffer.Closed() }

// Readable is f.readable(): the buffer's (an error once closed).
func (t *TextIOWrapper) Readable() (bool, error) { return t.buffer.Readable() }

// Writable is f.writable(): the buffer's.
func (t *TextIOWrapper) Writable() (bool, error) { return t.buffer.Writable() }

// Seekable is f.seekable(): the buffer's.
func (t *TextIOWrapper) Seekable() (bool, error) { return t.buffer.Seekable() }

// Fileno is f.fileno(): the buffer's.
func (t *TextIOWrapper) Fileno() (int, error) { return t.buffer.Fileno() }

// Isatty is f.isatty(): the buffer's.
func (t *TextIOWrapper) Isatty() (bool, error) { return t.buffer.Isatty() }

// can reports whether an open layer's readable()/writable() is true.
func can(f func() (bool, error)) bool {
	ok, err := f()
	return ok && err == nil
}

// WriteText is f.write(s): it returns len(s) in characters. '\n' becomes
// the newline given ('\r' or '\r\n'); the text is encoded with the errors
// handler (UnicodeEncodeError over the translated text when strict) and
// kept, as CPython's C TextIOWrapper keeps it, in the text layer's own
// pending buffer until that reaches the chunk size (8192 bytes) or a
// flush, close or read hands it to the buffer. A write to Buffer() in
// between goes before it. Like CPython's, a write drops the text decoded
// but not yet read and resets the decoder.
func (t *TextIOWrapper) WriteText(s string) (int, error) {
	if t.Closed() {
		return 0, errIOClosed()
	}
	if !can(t.Writable) {
		return 0, errUnsupported("not writable")
	}
	text := s
	if t.writenl != "" {
		text = strings.ReplaceAll(s, "\n", t.writenl)
	}
	b, err := t.codec.encode(nil, text)
	if err != nil {
		return 0, err
	}
	if err := t.addPending(b); err != nil {
		return 0, err
	}
	if t.rmu.TryLock() {
		// (A read waiting in another goroutine owns the decoded text:
		// it is left to that read.)
		t.dec, t.dpos, t.undecoded = t.dec[:0], 0, t.undecoded[:0]
		if t.nl != nil {
			t.nl.pendingCR = false
		}
		t.rmu.Unlock()
	}
	return utf8.RuneCountInString(s), nil
}

// addPending is the pending_bytes logic of textiowrapper write: what
// would take the pending text past the chunk size sends it to the buffer
// first (b is then not added if that fails), and the pending text goes to
// the buffer once it reaches the chunk size. wmu is held across the
// buffer's write, so the text reaches the buffer in the order it was
// written; a read does not wait for it (flushPending).
func (t *TextIOWrapper) addPending(b []byte) error {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	if len(t.pending) > 0 && len(t.pending)+len(b) > chunkSize {
		if err := t.writeFlushLocked(); err != nil {
			return err
		}
	}
	if len(t.pending) == 0 && len(b) >= chunkSize {
		_, err := t.buffer.Write(b)
		return err
	}
	t.pending = append(t.pending, b...)
	if len(t.pending) >= chunkSize {
		return t.writeFlushLocked()
	}
	return nil
}

// writeFlushLocked is _textiowrapper_writeflush, under wmu: the pending
// text goes to the buffer's write, and is no longer pending even when
// that fails.
func (t *TextIOWrapper) writeFlushLocked() error {
	p := t.pending
	t.pending = nil
	if len(p) == 0 {
		return nil
	}
	_, err := t.buffer.Write(p)
	return err
}

// writeFlush is writeFlushLocked with wmu taken.
func (t *TextIOWrapper) writeFlush() error {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	return t.writeFlushLocked()
}

// Write implements io.Writer: p is taken as UTF-8 text (see WriteText).
func (t *TextIOWrapper) Write(p []byte) (int, error) {
	if _, err := t.WriteText(string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush is f.flush(): the pending text to the buffer, then the buffer's
// flush.
func (t *TextIOWrapper) Flush() error {
	if t.Closed() {
		return errIOClosed()
	}
	t.wmu.Lock()
	defer t.wmu.Unlock()
	if err := t.writeFlushLocked(); err != nil {
		return err
	}
	return t.buffer.Flush()
}

// Close is f.close(): flushes and closes the buffer (and so the raw
// stream). Idempotent. As in CPython, an error of the buffer's close is
// the one returned, before the flush's. No text lock is held while it
// closes the buffer: once the buffer's writer is closed the file is
// closed, and the other calls fail at once, though a read still waiting
// in another goroutine keeps the buffer's reader (and so this call)
// waiting.
func (t *TextIOWrapper) Close() error {
	if t.Closed() {
		return nil
	}
	t.wmu.Lock()
	ferr := t.writeFlushLocked()
	if ferr == nil && can(t.Writable) {
		ferr = t.buffer.Flush()
	}
	t.wmu.Unlock()
	if t.rmu.TryLock() {
		t.dec, t.dpos, t.chunk, t.scratch = nil, 0, nil, nil
		t.rmu.Unlock()
	}
	if err := t.buffer.Close(); err != nil {
		return err
	}
	return ferr
}
