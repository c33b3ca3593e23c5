package socketserver

import (
	"bytes"
	"io"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// DatagramRequestHandler is socketserver.DatagramRequestHandler: Setup
// gives the handler the datagram as RFile and an empty WFile; Finish sends
// what was written to WFile back to the client.
type DatagramRequestHandler struct {
	BaseRequestHandler
	// Packet is self.packet, the datagram.
	Packet []byte
	// Socket is self.socket, the server's socket.
	Socket *pysock.Socket
	// RFile is self.rfile, BytesIO(packet).
	RFile *BytesIO
	// WFile is self.wfile, BytesIO().
	WFile *BytesIO
}

// Setup is DatagramRequestHandler.setup().
func (h *DatagramRequestHandler) Setup() error {
	h.Packet, h.Socket = h.Request.Data, h.Request.Socket
	h.RFile = NewBytesIO(h.Packet)
	h.WFile = NewBytesIO(nil)
	return nil
}

// Finish is DatagramRequestHandler.finish():
// socket.sendto(wfile.getvalue(), client_address).
func (h *DatagramRequestHandler) Finish() error {
	_, err := h.Socket.SendTo(h.WFile.GetValue(), h.ClientAddress)
	return err
}

// BytesIO is the part of io.BytesIO a datagram handler uses.
type BytesIO struct {
	buf    []byte
	pos    int
	closed bool
}

// NewBytesIO is io.BytesIO(initial): the file holds a copy of initial and
// is positioned at its start.
func NewBytesIO(initial []byte) *BytesIO { return &BytesIO{buf: bytes.Clone(initial)} }

func errClosedFile() error { return pyerr.NewValueError("I/O operation on closed file.") }

// ReadN is read(size=-1): up to size bytes (all that is left when size is
// omitted or negative); empty at the end.
func (f *BytesIO) ReadN(size ...int) ([]byte, error) {
	if f.closed {
		return nil, errClosedFile()
	}
	n := len(f.buf) - f.pos
	if len(size) > 0 && size[0] >= 0 && size[0] < n {
		n = size[0]
	}
	out := bytes.Clone(f.buf[f.pos : f.pos+n])
	f.pos += n
	return out, nil
}

// ReadLine is readline(size=-1): up to and including the next b'\n'.
func (f *BytesIO) ReadLine(size ...int) ([]byte, error) {
	if f.closed {
		return nil, errClosedFile()
	}
	rest := f.buf[f.pos:]
	n := len(rest)
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		n = i + 1
	}
	if len(size) > 0 && size[0] >= 0 && size[0] < n {
		n = size[0]
	}
	out := bytes.Clone(rest[:n])
	f.pos += n
	return out, nil
}

// Read is io.Reader's Read (io.EOF at the end).
func (f *BytesIO) Read(p []byte) (int, error) {
	b, err := f.ReadN(len(p))
	if err != nil {
		return 0, err
	}
	if len(b) == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return copy(p, b), nil
}

// Write is write(b): b overwrites from the position on, growing the
// buffer; it returns len(b).
func (f *BytesIO) Write(b []byte) (int, error) {
	if f.closed {
		return 0, errClosedFile()
	}
	if f.pos > len(f.buf) {
		f.buf = append(f.buf, make([]byte, f.pos-len(f.buf))...)
	}
	n := copy(f.buf[f.pos:], b)
	f.buf = append(f.buf, b[n:]...)
	f.pos += len(b)
	return len(b), nil
}

// GetValue is getvalue(): the whole buffer.
func (f *BytesIO) GetValue() []byte { return bytes.Clone(f.buf) }

// Close is close().
func (f *BytesIO) Close() error {
	f.closed = true
	return nil
}

// Closed is the closed attribute.
func (f *BytesIO) Closed() bool { return f.closed }
