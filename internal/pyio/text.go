package pyio

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
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
// for 'UTF-8'), errors ("" for None: 'strict') and newline (nil for
// None), and the mode attribute makefile sets.
type TextOptions struct {
	Encoding string
	Errors   string
	Newline  *string
	Mode     string
}

// TextIOWrapper is io.TextIOWrapper over a buffered stream: what
// makefile('r'), ('w') and ('rw') return. It decodes incrementally
// (UTF-8, ASCII or Latin-1 with errors 'strict', 'replace' or 'ignore'),
// applies universal newlines as io.IncrementalNewlineDecoder does, and
// holds one lock over every read and write path.
type TextIOWrapper struct {
	buffer    Buffer
	encoding  string
	codec     codec
	newline   *string
	mode      string
	translate bool   // readtranslate: newline=None
	universal bool   // readuniversal: newline None or ''
	readnl    string // the newline to look for when not universal
	writenl   string // what '\n' becomes on write ("" for no change)

	mu        sync.Mutex
	dec       []byte // decoded text not yet returned: dec[dpos:]
	dpos      int
	undecoded []byte // the decoder's buffer: an incomplete sequence
	nl        *newlineDecoder
	chunk     []byte // the read1 chunk, reused
	scratch   []byte // decoded chunk before newline translation, reused
}

// NewTextIOWrapper is io.TextIOWrapper(buffer, encoding, errors, newline).
func NewTextIOWrapper(buffer Buffer, o TextOptions) (*TextIOWrapper, error) {
	t := &TextIOWrapper{buffer: buffer, encoding: o.Encoding, mode: o.Mode}
	if t.encoding == "" {
		t.encoding = "UTF-8"
	}
	name, err := LookupEncoding(t.encoding)
	if err != nil {
		return nil, err
	}
	t.codec = codec{name: name, errors: "strict"}
	if o.Errors != "" {
		t.codec.errors = o.Errors
	}
	if nl := o.Newline; nl != nil {
		if *nl != "" && *nl != "\n" && *nl != "\r" && *nl != "\r\n" {
			return nil, pyerr.NewValueError("illegal newline value: " + *nl)
		}
		t.newline = nl
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
	if t.mode != "" {
		fmt.Fprintf(&b, " mode=%s", quote(t.mode))
	}
	fmt.Fprintf(&b, " encoding=%s>", quote(t.encoding))
	return b.String()
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "\\'") + "'" }

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
// handed to the buffer, where it waits for Flush or Close.
func (t *TextIOWrapper) WriteText(s string) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
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
	if _, err := t.buffer.Write(b); err != nil {
		return 0, err
	}
	return utf8.RuneCountInString(s), nil
}

// Write implements io.Writer: p is taken as UTF-8 text (see WriteText).
func (t *TextIOWrapper) Write(p []byte) (int, error) {
	if _, err := t.WriteText(string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush is f.flush(): the buffer's flush.
func (t *TextIOWrapper) Flush() error {
	if t.Closed() {
		return errIOClosed()
	}
	return t.buffer.Flush()
}

// Close is f.close(): flushes and closes the buffer (and so the raw
// stream). Idempotent.
func (t *TextIOWrapper) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.Closed() {
		return nil
	}
	var ferr error
	if can(t.Writable) {
		ferr = t.buffer.Flush()
	}
	t.dec, t.dpos, t.chunk, t.scratch = nil, 0, nil, nil
	if err := t.buffer.Close(); ferr == nil {
		ferr = err
	}
	return ferr
}
