package socketserver

import (
	"errors"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/pysock"
)

// StreamRequestHandler is socketserver.StreamRequestHandler: Setup gives the
// handler RFile and WFile over the connection, Finish flushes and closes
// them. The class attributes are fields; nil stands for the class default.
type StreamRequestHandler struct {
	BaseRequestHandler
	// RBufSize is rbufsize, makefile's buffering for RFile (nil: -1, the
	// default buffer size; 0: unbuffered).
	RBufSize any
	// WBufSize is wbufsize (nil: 0, an unbuffered SocketWriter; otherwise
	// makefile's buffering for WFile).
	WBufSize any
	// Timeout is timeout: the connection's settimeout in Setup (nil: None,
	// leave the socket's mode alone).
	Timeout any
	// DisableNagleAlgorithm is disable_nagle_algorithm: TCP_NODELAY.
	DisableNagleAlgorithm bool

	// Connection is self.connection (the request's socket).
	Connection *pysock.Socket
	// RFile is self.rfile: makefile('rb', rbufsize).
	RFile *pysock.SocketFile
	// WFile is self.wfile: a *SocketWriter, or makefile('wb', wbufsize).
	WFile WriteFile
}

// WriteFile is what StreamRequestHandler.WFile holds: a *SocketWriter or a
// *pysock.SocketFile opened for writing. DatagramRequestHandler's *BytesIO
// has these methods too.
type WriteFile interface {
	Write(b []byte) (int, error)
	Flush() error
	Close() error
	Closed() bool
	Fileno() (int, error)
	Writable() (bool, error)
}

// Setup is StreamRequestHandler.setup().
func (h *StreamRequestHandler) Setup() error {
	h.Connection = h.Request.Socket
	if !pyarg.IsNone(h.Timeout) {
		if err := h.Connection.SetTimeout(h.Timeout); err != nil {
			return err
		}
	}
	if h.DisableNagleAlgorithm {
		if err := h.Connection.SetSockOpt(pysock.IPPROTO_TCP, pysock.TCP_NODELAY, true); err != nil {
			return err
		}
	}
	rbuf := h.RBufSize
	if rbuf == nil {
		rbuf = -1
	}
	rfile, err := h.Connection.MakeFile("rb", pysock.MakeFileOptions{Buffering: rbuf})
	if err != nil {
		return err
	}
	h.RFile = rfile
	if h.WBufSize == nil || isZero(h.WBufSize) {
		h.WFile = NewSocketWriter(h.Connection)
		return nil
	}
	wfile, err := h.Connection.MakeFile("wb", pysock.MakeFileOptions{Buffering: h.WBufSize})
	if err != nil {
		return err
	}
	h.WFile = wfile
	return nil
}

// isZero is Python's "v == 0".
func isZero(v any) bool {
	if f, ok := v.(float64); ok {
		return f == 0
	}
	n, ok, _ := pyarg.Index(v)
	return ok && n == 0
}

// Finish is StreamRequestHandler.finish(): WFile is flushed (an OSError
// is ignored), then WFile and RFile are closed.
func (h *StreamRequestHandler) Finish() error {
	if !h.WFile.Closed() {
		if err := h.WFile.Flush(); err != nil {
			var oe *pyerr.OSError
			if !errors.As(err, &oe) {
				return err
			}
		}
	}
	if err := h.WFile.Close(); err != nil {
		return err
	}
	return h.RFile.Close()
}

// SocketWriter is socketserver._SocketWriter, the unbuffered WFile: every
// Write is one sendall.
type SocketWriter struct {
	sock   *pysock.Socket
	closed bool
}

// NewSocketWriter is _SocketWriter(sock).
func NewSocketWriter(sock *pysock.Socket) *SocketWriter { return &SocketWriter{sock: sock} }

// Write is write(b): sendall(b), then len(b). Like CPython's, it does not
// check Closed.
func (w *SocketWriter) Write(b []byte) (int, error) {
	if err := w.sock.SendAll(b); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Flush is flush(): nothing to flush; ValueError('I/O operation on closed
// file.') once closed.
func (w *SocketWriter) Flush() error {
	if w.closed {
		return pyerr.NewValueError("I/O operation on closed file.")
	}
	return nil
}

// Close is close(): the writer is closed, not the socket.
func (w *SocketWriter) Close() error {
	w.closed = true
	return nil
}

// Closed is the closed attribute.
func (w *SocketWriter) Closed() bool { return w.closed }

// Fileno is fileno(): the socket's, even once the writer is closed (the
// error is always nil; it has SocketFile.Fileno's shape).
func (w *SocketWriter) Fileno() (int, error) { return w.sock.Fileno(), nil }

// Writable is writable(): true, even once closed.
func (w *SocketWriter) Writable() (bool, error) { return true, nil }
