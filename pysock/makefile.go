package pysock

import (
	"fmt"
	"strings"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyio"
	"github.com/pysock/pysock/internal/pyrepr"
)

// MakeFileOptions are makefile's other arguments: buffering (nil for
// None), and the text-mode encoding, errors and newline (nil for None).
type MakeFileOptions struct {
	Buffering any
	Encoding  any
	Errors    any
	Newline   any
}

// MakeFile is socket.makefile(mode='r', buffering=None, *, encoding=None,
// errors=None, newline=None). mode is made of 'r', 'w' and 'b'. The socket
// stays open until it and every file made from it are closed. A read that
// times out leaves the file unable to read again: OSError('cannot read
// from timed out object'), as in CPython.
//
// The file is CPython's stack of io layers (see SocketFile): a SocketIO
// for buffering=0, a BufferedReader, BufferedWriter or BufferedRWPair over
// it, and for text modes a TextIOWrapper over that.
func (s *Socket) MakeFile(mode string, opts ...MakeFileOptions) (*SocketFile, error) {
	s = s.orClosed()
	var o MakeFileOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	// mode "" is a text file for reading whose mode attribute is ''.
	for _, c := range mode {
		if c != 'r' && c != 'w' && c != 'b' {
			return nil, pyerr.NewValueError(fmt.Sprintf("invalid mode %s (only r, w, b allowed)", pyrepr.Repr(mode)))
		}
	}
	writing := strings.Contains(mode, "w")
	reading := strings.Contains(mode, "r") || !writing
	binary := strings.Contains(mode, "b")
	size, err := bufferSize(o.Buffering)
	if err != nil {
		return nil, err
	}
	if size == 0 && !binary {
		return nil, pyerr.NewValueError("unbuffered streams must be binary")
	}
	var topts pyio.TextOptions
	if !binary {
		if topts, err = textOptions(o, mode); err != nil {
			return nil, err
		}
	}
	rawmode := ""
	if reading {
		rawmode += "r"
	}
	if writing {
		rawmode += "w"
	}
	raw, err := pyio.NewSocketIO(sockIO{s}, rawmode)
	if err != nil {
		return nil, err
	}
	s.increfIO()
	f := &SocketFile{raw: raw, bin: raw}
	switch {
	case size == 0:
		return f, nil
	case reading && writing:
		f.bin, err = pyio.NewBufferedRWPair(raw, raw, size)
	case reading:
		f.bin, err = pyio.NewBufferedReader(raw, size)
	default:
		f.bin, err = pyio.NewBufferedWriter(raw, size)
	}
	if err == nil && !binary {
		f.text, err = pyio.NewTextIOWrapper(f.bin.(pyio.Buffer), topts)
	}
	if err != nil {
		raw.Close()
		return nil, err
	}
	return f, nil
}

// bufferSize is makefile's buffering: io.DEFAULT_BUFFER_SIZE for None or a
// negative value. The io classes take a Py_ssize_t and allocate the buffer
// at once: MemoryError here for a size the machine cannot hold.
func bufferSize(v any) (int, error) {
	if pyarg.IsNone(v) {
		return pyio.DefaultBufferSize, nil
	}
	// socket.makefile compares first: "if buffering < 0" (the default
	// size), "if buffering == 0" (the raw SocketIO); only then does the
	// buffered layer ask for an integer. A float passes the comparisons,
	// anything else that is not a number fails the first.
	if f, isFloat := pyarg.Float(v); isFloat {
		switch {
		case f < 0:
			return pyio.DefaultBufferSize, nil
		case f == 0:
			return 0, nil
		}
		return 0, errNotInteger(v)
	}
	n, ok, over := asIndex(v)
	if !ok {
		return 0, pyerr.NewTypeError(fmt.Sprintf("'<' not supported between instances of '%s' and 'int'", pyTypeName(v)))
	}
	if n < 0 {
		return pyio.DefaultBufferSize, nil // a huge negative one too
	}
	if over {
		return 0, pyerr.NewOverflowError("Python int too large to convert to C ssize_t")
	}
	if err := checkAlloc(int(n)); err != nil {
		return 0, err
	}
	return int(n), nil
}

// textOptions checks encoding, errors and newline as TextIOWrapper does.
func textOptions(o MakeFileOptions, mode string) (pyio.TextOptions, error) {
	// CPython's order: Argument Clinic's checks of encoding and newline
	// (type, then embedded null), the same for errors, then newline's
	// value, then the codec lookup ('locale' is the locale's encoding,
	// UTF-8 here, as for None).
	t := pyio.TextOptions{Encoding: "UTF-8", Mode: mode, ModeSet: true}
	name, ok := "", true
	if o.Encoding != nil {
		if name, ok = o.Encoding.(string); !ok {
			return t, pyerr.NewTypeError(fmt.Sprintf("TextIOWrapper() argument 'encoding' must be str or None, not %s", pyTypeName(o.Encoding)))
		}
		if strings.IndexByte(name, 0) >= 0 {
			return t, pyio.ErrEmbeddedNull()
		}
	}
	if o.Newline != nil {
		nl, ok := o.Newline.(string)
		if !ok {
			return t, pyerr.NewTypeError(fmt.Sprintf("TextIOWrapper() argument 'newline' must be str or None, not %s", pyTypeName(o.Newline)))
		}
		if strings.IndexByte(nl, 0) >= 0 {
			return t, pyio.ErrEmbeddedNull()
		}
		t.Newline = &nl
	}
	if o.Errors != nil {
		e, ok := o.Errors.(string)
		if !ok {
			return t, pyerr.NewTypeError(fmt.Sprintf("TextIOWrapper() argument 'errors' must be str or None, not %s", pyTypeName(o.Errors)))
		}
		if strings.IndexByte(e, 0) >= 0 {
			return t, pyio.ErrEmbeddedNull()
		}
		t.Errors, t.ErrorsSet = e, true
	}
	if nl := t.Newline; nl != nil && *nl != "" && *nl != "\n" && *nl != "\r" && *nl != "\r\n" {
		return t, pyerr.NewValueError("illegal newline value: " + *nl)
	}
	if o.Encoding != nil && name != "locale" {
		if _, err := pyio.LookupEncoding(name); err != nil {
			return t, err
		}
		t.Encoding = name
	}
	return t, nil
}

// sockIO is the socket side of SocketIO (pyio.Sock).
type sockIO struct{ s *Socket }

func (a sockIO) RecvInto(b []byte) (int, error) { return a.s.RecvInto(b) }
func (a sockIO) Recv(n int) ([]byte, error)     { return a.s.Recv(n) }
func (a sockIO) Send(b []byte) (int, error)     { return a.s.Send(b) }
func (a sockIO) Fileno() int                    { return a.s.Fileno() }
func (a sockIO) DecrefIO() error                { return a.s.decrefIO() }
