package pysock

import (
	"errors"
	"net"
	"os"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// FromNetConn is socket.fromfd for a Go connection or listener
// (*net.TCPConn, *net.UnixConn, *net.UDPConn, *net.TCPListener, … — any
// syscall.Conn): a new Socket on a duplicate of its fd, with family, type
// and protocol read from the kernel and the module default timeout, as
// CPython's fromfd gives. The duplicate shares the file status flags with
// the original: Go's fd is non-blocking, so until SetBlocking or
// SetTimeout is called the Socket is "blocking" with a non-blocking fd
// (recv may raise BlockingIOError, as in CPython). Changing the mode
// changes the original's flags too; close the original once adopted.
//
// A nil c (or a typed nil such as a nil *net.TCPConn) is the TypeError of
// fromfd(None, ...); a closed connection, or one without a descriptor
// (SyscallConn returns nil), is OSError(9), as fromfd's dup of a closed fd.
func FromNetConn(c syscall.Conn) (*Socket, error) {
	if pyarg.IsNone(c) {
		return nil, pyarg.NotInteger(c)
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, fromNetConnErr(err)
	}
	if pyarg.IsNone(rc) {
		return nil, pyerr.FromErrno(unix.EBADF)
	}
	nfd := -1
	var derr error
	if err := rc.Control(func(fd uintptr) {
		nfd, derr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	}); err != nil {
		return nil, fromNetConnErr(err)
	}
	if derr != nil {
		return nil, toPyErr(derr)
	}
	s, err := FromFileno(nfd, -1, -1, -1)
	if err != nil {
		unix.Close(nfd)
		return nil, err
	}
	return s, nil
}

// fromNetConnErr is FromNetConn's exception for an error of the Go
// connection: a closed one (Go's "use of closed network connection", or
// "use of closed file" for an *os.File) is OSError(9), which also matches
// net.ErrClosed and os.ErrClosed.
func fromNetConnErr(err error) error {
	// A closed *os.File's RawConn reports internal/poll's unexported
	// ErrFileClosing, known only by its text.
	if errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrClosed) || err.Error() == "use of closed file" {
		return errClosed()
	}
	return toPyErr(err)
}
