package pysock

import (
	"errors"
	"io"
	"math/big"
	"os"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
	"golang.org/x/sys/unix"
)

// SendFile is socket.sendfile(file, offset=0, count=None): it sends file's
// contents from offset (count bytes, or to the end) with the sendfile(2)
// system call, falling back to read+send where the kernel refuses (as
// Lib/socket.py does), and leaves the file positioned after the last byte
// sent. args are offset (an int) and count (nil or a positive int).
//
// As in CPython: only stream sockets (ValueError otherwise), not in
// non-blocking mode (ValueError('non-blocking sockets are not
// supported')), and in timeout mode the timeout bounds each wait for the
// socket to become writable. In blocking mode the sendfile(2) call itself
// may hold an OS thread while the socket buffer drains.
func (s *Socket) SendFile(file *os.File, args ...any) (int, error) {
	s = s.orClosed()
	if len(args) > 2 {
		return 0, tooManyPositional("sendfile", 2, 4, len(args)+2)
	}
	var offsetArg, countArg any = 0, nil
	if len(args) > 0 {
		offsetArg = args[0]
	}
	if len(args) > 1 {
		countArg = args[1]
	}
	count, err := s.sendfileCount(countArg)
	if err != nil {
		return 0, err
	}
	n, giveUp, err := s.sendfileSyscall(file, offsetArg, count)
	if !giveUp {
		return n, err
	}
	if s.timeout.Load() == 0 {
		return 0, pyerr.NewValueError("non-blocking sockets are not supported")
	}
	offset, err := sendfileOffset(offsetArg)
	if err != nil {
		return 0, err
	}
	return s.sendfileSend(file, offset, count)
}

// sendfileCount is Lib/socket.py's _check_sendfile_params; 0 means None.
func (s *Socket) sendfileCount(v any) (int, error) {
	if s.typ&unix.SOCK_STREAM == 0 {
		return 0, pyerr.NewValueError("only SOCK_STREAM type sockets are supported")
	}
	if v == nil {
		return 0, nil
	}
	n, ok, over := asIndex(v)
	if !ok {
		return 0, pyerr.NewTypeError("count must be a positive integer (got " + pyrepr.Repr(v) + ")")
	}
	if over {
		if b, _ := v.(*big.Int); b != nil && b.Sign() > 0 {
			// Passes the check, then os.sendfile takes a Py_ssize_t.
			return 0, pyerr.NewOverflowError("Python int too large to convert to C ssize_t")
		}
		n = -1
	}
	if n <= 0 {
		return 0, pyerr.NewValueError("count must be a positive integer (got " + pyrepr.Repr(v) + ")")
	}
	return int(n), nil
}

// sendfileOffset is os.sendfile's offset, an off_t: a C long (pyarg.CLong).
func sendfileOffset(v any) (int64, error) { return pyarg.CLong(v) }

// fileFd reads file's descriptor without (*os.File).Fd, which would switch
// a pollable file to blocking mode.
func fileFd(file *os.File) (int, error) {
	rc, err := file.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	if err := rc.Control(func(f uintptr) { fd = int(f) }); err != nil {
		return -1, err
	}
	return fd, nil
}

// sendfileSyscall is Lib/socket.py's _sendfile_use_sendfile; giveUp asks
// for the read+send fallback.
func (s *Socket) sendfileSyscall(file *os.File, offsetArg any, count int) (total int, giveUp bool, err error) {
	ffd, err := fileFd(file)
	if err != nil {
		return 0, true, nil
	}
	var st unix.Stat_t
	if unix.Fstat(ffd, &st) != nil {
		return 0, true, nil
	}
	if st.Size == 0 {
		return 0, false, nil
	}
	if s.timeout.Load() == 0 {
		return 0, false, pyerr.NewValueError("non-blocking sockets are not supported")
	}
	if s.fileno() < 0 { // CPython registers fileno() with a selector here
		return 0, false, pyerr.NewValueError("Invalid file descriptor: -1")
	}
	offset, err := sendfileOffset(offsetArg)
	if err != nil {
		return 0, false, err
	}
	blocksize := min(int64(count), 1<<30)
	if count == 0 {
		blocksize = min(st.Size, 1<<30)
	}
	defer func() {
		if total > 0 {
			file.Seek(offset, io.SeekStart)
		}
	}()
	h, err := s.handle()
	if err != nil {
		return 0, false, err
	}
	for {
		if count > 0 {
			blocksize = int64(count - total)
			if blocksize <= 0 {
				break
			}
		}
		sent, newOff, werr := s.sendfileOnce(h, ffd, offset, int(blocksize))
		if werr != nil {
			var oe *pyerr.OSError
			if total == 0 && errors.As(werr, &oe) && oe.HasErrno && !pyerr.IsInstance(werr, "TimeoutError") && !errors.Is(werr, errClosedCause) {
				return 0, true, nil
			}
			return total, false, werr
		}
		if sent == 0 {
			break
		}
		offset = newOff
		total += sent
	}
	return total, false, nil
}

// sendfileOpts: in blocking mode sendfile never fails for SO_SNDTIMEO
// (Lib/socket.py waits for room on BlockingIOError and goes on).
var sendfileOpts = callOpts{untimed: true}

// sendfileOnce is one os.sendfile of Lib/socket.py's loop: it waits for
// room first in timeout mode, and, like the blocking call, when the socket
// is full.
func (s *Socket) sendfileOnce(h *handle, ffd int, offset int64, count int) (sent int, newOff int64, err error) {
	sd := &s.w
	st, err := s.begin(sd, h, false, &sendfileOpts)
	if err != nil {
		return 0, offset, err
	}
	defer s.end(sd, st)
	x := st.extra()
	st.op, x.fileFd, x.offset, x.count = opSendFile, ffd, offset, count
	err = s.run(sd, st, nil)
	return st.n, x.offset, err
}

// sendfileSend is Lib/socket.py's _sendfile_use_send.
func (s *Socket) sendfileSend(file *os.File, offset int64, count int) (total int, err error) {
	if offset != 0 {
		if _, err := file.Seek(offset, io.SeekStart); err != nil {
			return 0, toPyErr(err)
		}
	}
	defer func() {
		if total > 0 {
			file.Seek(offset+int64(total), io.SeekStart)
		}
	}()
	blocksize := 8192
	if count > 0 {
		blocksize = min(count, 8192)
	}
	buf := make([]byte, blocksize)
	for {
		if count > 0 {
			blocksize = min(count-total, blocksize)
			if blocksize <= 0 {
				break
			}
		}
		n, rerr := file.Read(buf[:blocksize])
		if n == 0 {
			if rerr != nil && rerr != io.EOF {
				return total, toPyErr(rerr)
			}
			break
		}
		for data := buf[:n]; len(data) > 0; {
			sent, err := s.Send(data)
			if err != nil {
				var be *pyerr.BlockingIOError
				if errors.As(err, &be) {
					continue // Lib/socket.py retries (SO_SNDTIMEO has passed)
				}
				return total, err
			}
			total += sent
			data = data[sent:]
		}
	}
	return total, nil
}
