package pysock

import (
	"math"
	"math/big"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// Bind is socket.bind(address): a Tuple{host, port} (or InetAddr /
// Inet6Addr) for IP families, a path string or "\x00name" for AF_UNIX.
func (s *Socket) Bind(address any) error {
	s = s.orClosed()
	var ra rawAddr
	if err := encodeAddr(s, int(s.family), address, "bind", &ra); err != nil {
		return err
	}
	return s.syscallErr(func(fd int) error {
		_, _, e := unix.Syscall(unix.SYS_BIND, uintptr(fd), uintptr(ra.ptr()), uintptr(ra.len))
		return errnoErr(e)
	})
}

// Listen is socket.listen([backlog]). Without a backlog it uses CPython's
// default, min(SOMAXCONN, 128); a negative backlog is treated as 0.
func (s *Socket) Listen(backlog ...int) error {
	s = s.orClosed()
	if len(backlog) > 1 {
		return errTooManyArgs("listen", 1, len(backlog))
	}
	n := min(SOMAXCONN, 128)
	if len(backlog) > 0 {
		b, err := cInt(backlog[0])
		if err != nil {
			return err
		}
		n = max(b, 0)
	}
	return s.syscallErr(func(fd int) error { return unix.Listen(fd, n) })
}

// Shutdown is socket.shutdown(how): SHUT_RD, SHUT_WR or SHUT_RDWR.
func (s *Socket) Shutdown(how int) error {
	s = s.orClosed()
	if _, err := clinicInt(how); err != nil {
		return err
	}
	if err := s.syscallErr(func(fd int) error { return unix.Shutdown(fd, how) }); err != nil {
		return err
	}
	if h := s.h.Load(); h != nil && s.family == unix.AF_UNIX {
		h.wakeWriters(int(s.typ), how)
	}
	return nil
}

// GetSockName is socket.getsockname().
func (s *Socket) GetSockName() (Address, error) { return s.name(unix.SYS_GETSOCKNAME) }

// GetPeerName is socket.getpeername().
func (s *Socket) GetPeerName() (Address, error) { return s.name(unix.SYS_GETPEERNAME) }

func (s *Socket) name(trap uintptr) (Address, error) {
	s = s.orClosed() // for the exported methods that inline into their callers
	var sa unix.RawSockaddrAny
	n := uint32(unix.SizeofSockaddrAny)
	err := s.syscallErr(func(fd int) error {
		_, _, e := unix.RawSyscall(trap, uintptr(fd), uintptr(unsafe.Pointer(&sa)), uintptr(unsafe.Pointer(&n)))
		return errnoErr(e)
	})
	if err != nil {
		return nil, err
	}
	a := decodeAddr(s.fileno(), &sa, n)
	if a == nil && s.family == unix.AF_UNIX {
		a = UnixAddr("")
	}
	return a, nil
}

// GetSockOpt is socket.getsockopt(level, optname[, buflen]): with no buflen
// (or 0) it returns the option as an int; with buflen it returns up to
// buflen raw bytes ([]byte). buflen must be 0..1024, as in CPython.
func (s *Socket) GetSockOpt(level, optname int, buflen ...int) (any, error) {
	s = s.orClosed()
	if len(buflen) > 1 {
		return nil, errTooManyArgs("getsockopt", 3, 2+len(buflen))
	}
	if err := cInts(append([]int{level, optname}, buflen...)...); err != nil {
		return nil, err
	}
	if s.family == unix.AF_VSOCK {
		return s.getVsockOpt(level, optname, buflen)
	}
	if len(buflen) == 0 || buflen[0] == 0 {
		var v int
		err := s.syscallErr(func(fd int) error {
			var e error
			v, e = unix.GetsockoptInt(fd, level, optname)
			return e
		})
		return v, err
	}
	if buflen[0] < 0 || buflen[0] > 1024 {
		return nil, pyerr.NewOSError("getsockopt buflen out of range")
	}
	buf := make([]byte, buflen[0])
	n := uint32(len(buf))
	err := s.syscallErr(func(fd int) error {
		_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), uintptr(level), uintptr(optname),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)), 0)
		return errnoErr(e)
	})
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// GetSockOptInt is socket.getsockopt(level, optname) typed for Go: the
// option as an int (GetSockOpt returns it as an any).
func (s *Socket) GetSockOptInt(level, optname int) (int, error) {
	s = s.orClosed()
	v, err := s.GetSockOpt(level, optname)
	if err != nil {
		return 0, err
	}
	if n, ok := v.(int); ok {
		return n, nil
	}
	return 0, pyerr.NewOverflowError("Python int too large to convert to C long") // a 64-bit AF_VSOCK value
}

// GetSockOptBytes is socket.getsockopt(level, optname, buflen) typed for
// Go: at most buflen bytes of the option (1..1024, as in CPython).
func (s *Socket) GetSockOptBytes(level, optname, buflen int) ([]byte, error) {
	s = s.orClosed()
	if buflen == 0 { // getsockopt(level, optname, 0) is the int form
		return nil, pyerr.NewOSError("getsockopt buflen out of range")
	}
	v, err := s.GetSockOpt(level, optname, buflen)
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// SetSockOpt is socket.setsockopt(level, optname, value) with an integer
// (or bool) or bytes value, or setsockopt(level, optname, None, optlen):
// pass nil as value and the optlen. An optlen is taken only after nil
// (and never on AF_VSOCK): otherwise it is CPython's TypeError for the
// count, before any other check.
func (s *Socket) SetSockOpt(level, optname int, value any, optlen ...int) error {
	s = s.orClosed()
	// CPython tries its formats in turn and reports the last one's error:
	// "iiK" on AF_VSOCK, else "iii", "iiO!I" (None, optlen) and "iiy*". A
	// bad level or optname in the None form falls through to "iiy*",
	// whose count is wrong.
	nullForm := len(optlen) == 1 && pyarg.IsNone(value) && s.family != unix.AF_VSOCK
	if len(optlen) > 0 && (!nullForm || cInts(level, optname) != nil) {
		return errArgCount("setsockopt", 3, 3+len(optlen))
	}
	if err := cInts(level, optname); err != nil {
		return err
	}
	if s.family == unix.AF_VSOCK {
		return s.setVsockOpt(level, optname, value)
	}
	if pyarg.IsNone(value) {
		if len(optlen) == 0 {
			return pyarg.ErrNotBytesLike(nil)
		}
		return s.syscallErr(func(fd int) error {
			_, _, e := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(optname), 0, uintptr(optlen[0]), 0)
			return errnoErr(e)
		})
	}
	// CPython tries "iii" (a C int, bools and IntEnums included), then
	// "iiy*" (a buffer: bytes, bytearray, any byte slice); an int out of
	// range fails as a buffer would.
	if n, err := pyarg.ClinicInt(value); err == nil {
		return s.syscallErr(func(fd int) error { return unix.SetsockoptInt(fd, level, optname, n) })
	}
	buf, err := pyarg.BytesLike(value)
	if err != nil {
		return err
	}
	err = s.syscallErr(func(fd int) error {
		var p unsafe.Pointer
		if len(buf) > 0 {
			p = unsafe.Pointer(&buf[0])
		}
		_, _, e := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(optname), uintptr(p), uintptr(len(buf)), 0)
		return errnoErr(e)
	})
	if h := s.h.Load(); err == nil && h != nil {
		h.desc.noteTimeval(level, optname, buf)
	}
	return err
}

// getVsockOpt is getsockopt on an AF_VSOCK socket, whose options CPython
// reads as 64-bit values (and never into a byte buffer).
func (s *Socket) getVsockOpt(level, optname int, buflen []int) (any, error) {
	if len(buflen) > 0 && buflen[0] != 0 {
		return nil, pyerr.NewOSError("getsockopt string buffer not allowed")
	}
	var v uint64
	err := s.syscallErr(func(fd int) error {
		n := uint32(unsafe.Sizeof(v))
		_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(fd), uintptr(level), uintptr(optname),
			uintptr(unsafe.Pointer(&v)), uintptr(unsafe.Pointer(&n)), 0)
		return errnoErr(e)
	})
	if err != nil {
		return nil, err
	}
	if v > math.MaxInt64 {
		return new(big.Int).SetUint64(v), nil
	}
	return int(v), nil
}

// setVsockOpt is setsockopt on an AF_VSOCK socket: CPython's "iiK", a
// 64-bit value from any integer (its low 64 bits).
func (s *Socket) setVsockOpt(level, optname int, value any) error {
	v, ok := pyarg.UnsignedLongLongMask(value)
	if !ok {
		return pyerr.NewTypeError("setsockopt() argument 3 must be int, not " + pyTypeName(value))
	}
	return s.syscallErr(func(fd int) error {
		_, _, e := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(optname),
			uintptr(unsafe.Pointer(&v)), unsafe.Sizeof(v), 0)
		return errnoErr(e)
	})
}

// syscallErr runs fn on the open fd and converts its error to Python's.
func (s *Socket) syscallErr(fn func(fd int) error) error {
	h, err := s.handle()
	if err != nil {
		return err
	}
	return toPyErr(h.control(fn))
}

func errnoErr(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}
