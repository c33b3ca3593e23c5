package pysock

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

var netErrClosed = net.ErrClosed

// Socket is Python's socket.socket on a raw file descriptor.
//
// Its mode is Python's: blocking (timeout None), non-blocking (timeout 0.0)
// or timeout mode (timeout > 0), with the kernel O_NONBLOCK flag exactly as
// CPython leaves it. Calls in blocking and timeout mode park the goroutine
// on Go's runtime poller instead of an OS thread, so one goroutine per
// connection scales to many thousands of connections.
//
// One goroutine may read (recv*, accept) while another writes (send*,
// connect); concurrent readers are serialized, as are concurrent writers.
// Close from another goroutine wakes blocked calls with OSError(9), which
// also matches net.ErrClosed. A Socket that becomes unreachable without
// Close has its fd closed by the garbage collector (CPython closes it in
// __del__ with a ResourceWarning; pysock closes it silently).
type Socket struct {
	// family, type and proto are C ints (checked by the constructors);
	// int32 keeps a Socket within 240 bytes, see TestSocketSize.
	family, typ, proto int32
	ioRefs             int32 // see iomu

	timeout atomic.Int64 // ns; -1 None (blocking), 0 non-blocking
	h       atomic.Pointer[handle]

	r, w side // reads (recv*, accept) and writes (send*, connect)

	// Python's _closed and _io_refs: Close with files from MakeFile still
	// open only marks the socket closed; the last file's Close closes it.
	iomu       sync.Mutex
	userClosed bool
}

// closedNil stands for a nil *Socket: a socket closed from the start, of
// family, type and proto 0, in blocking mode. Go's net and os return an
// error from a nil connection's or file's methods rather than panic; a nil
// *Socket behaves as a closed socket does: OSError(9) where a closed
// socket raises it, and Close does nothing, as CPython's close of a
// closed socket.
var closedNil = func() *Socket {
	s := &Socket{userClosed: true}
	s.timeout.Store(-1)
	return s
}()

// orClosed is s, or closedNil for a nil s: every exported method starts
// with it.
func (s *Socket) orClosed() *Socket {
	if s == nil {
		return closedNil
	}
	return s
}

// handle returns the open handle, or OSError(9) if the socket is closed.
func (s *Socket) handle() (*handle, error) {
	if s == nil {
		return nil, errClosed() // see closedNil
	}
	if h := s.h.Load(); h != nil {
		return h, nil
	}
	return nil, errClosed()
}

func newSocketObject(h *handle, family, typ, proto int, timeoutNs int64) *Socket {
	s := &Socket{family: int32(family), typ: int32(typ &^ (unix.SOCK_NONBLOCK | unix.SOCK_CLOEXEC)), proto: int32(proto)}
	s.timeout.Store(timeoutNs)
	h.stream = s.typ == unix.SOCK_STREAM
	h.peerShut = family == unix.AF_UNIX && (h.stream || s.typ == unix.SOCK_SEQPACKET)
	h.unixDgram = family == unix.AF_UNIX && s.typ == unix.SOCK_DGRAM
	s.h.Store(h)
	s.r.fn = s.r.st.do
	s.w.fn = s.w.st.do
	if h.desc.out.Load() {
		s.prepareLooks(h) // a number of its description is out (FromFd, a Dup of such a socket)
	}
	return s
}

// NewSocket is socket.socket(family, type, proto): a new socket in the mode
// getdefaulttimeout() gives (blocking unless a default was set). -1 for
// family, typ or proto means Python's default (AF_INET, SOCK_STREAM, 0).
// SOCK_NONBLOCK in typ makes it non-blocking and, like SOCK_CLOEXEC, is
// masked out of Type(). The fd is close-on-exec (non-inheritable).
func NewSocket(fam AddressFamily, kind SocketKind, proto int) (*Socket, error) {
	family, typ := int(fam), int(kind)
	if err := socketInts(family, typ, proto); err != nil {
		return nil, err
	}
	family, typ, proto = withDefaults(family, typ, proto, unix.AF_INET)
	fd, err := unix.Socket(family, typ|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, proto)
	if err != nil {
		return nil, toPyErr(err)
	}
	ns := initialTimeout(typ)
	h, err := freshHandle(fd, ns >= 0)
	if err != nil {
		return nil, err
	}
	return newSocketObject(h, family, typ, proto, ns), nil
}

// socketInts is socket.socket's conversion of family, type and proto to C
// ints (Argument Clinic's message, unlike the "i" format's).
func socketInts(family, typ, proto int) error {
	for _, v := range []int{family, typ, proto} {
		if _, err := clinicInt(v); err != nil {
			return err
		}
	}
	return nil
}

// withDefaults replaces -1 arguments with Python's defaults.
func withDefaults(family, typ, proto, defFamily int) (int, int, int) {
	if family == -1 {
		family = defFamily
	}
	if typ == -1 {
		typ = unix.SOCK_STREAM
	}
	if proto == -1 {
		proto = 0
	}
	return family, typ, proto
}

// initialTimeout is the mode a new socket starts in (CPython's
// init_sockobject): non-blocking for SOCK_NONBLOCK, else the module default.
func initialTimeout(typ int) int64 {
	if typ&unix.SOCK_NONBLOCK != 0 {
		return 0
	}
	return defaultTimeout.Load()
}

// FromFileno is socket.socket(family, type, proto, fileno=fd): it adopts fd.
// family, typ and proto of -1 are read from the fd (SO_DOMAIN, SO_TYPE,
// SO_PROTOCOL); explicit values are trusted without checking, as in CPython.
// The mode is getdefaulttimeout(); as in CPython, the fd's own O_NONBLOCK
// flag is not read, so a non-blocking fd adopted in blocking mode gives
// BlockingIOError from recv. SOCK_NONBLOCK in typ gives non-blocking mode
// (timeout 0.0) and, as in CPython's init_sockobject, leaves the fd's flag
// as it is: a blocking fd's calls then wait as the kernel's would.
func FromFileno(fd int, fam AddressFamily, kind SocketKind, proto int) (*Socket, error) {
	family, typ := int(fam), int(kind)
	if err := socketInts(family, typ, proto); err != nil {
		return nil, err
	}
	fd = int(int32(fd)) // socketmodule.c keeps the fileno in a C int
	if fd < 0 {
		return nil, pyerr.NewValueError("negative file descriptor")
	}
	for _, p := range []struct {
		v   *int
		opt int
	}{{&family, unix.SO_DOMAIN}, {&typ, unix.SO_TYPE}, {&proto, unix.SO_PROTOCOL}} {
		if *p.v != -1 {
			continue
		}
		n, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, p.opt)
		if err != nil {
			return nil, toPyErr(err)
		}
		*p.v = n
	}
	if _, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE); err != nil {
		return nil, toPyErr(err)
	}
	noteAdopted(fd)
	ns := initialTimeout(typ)
	// CPython's internal_setblocking(s, 0) runs on the default-timeout
	// branch only: SOCK_NONBLOCK's timeout 0.0 does not touch the flag.
	setFlag := ns >= 0 && typ&unix.SOCK_NONBLOCK == 0
	h := takeDetached(fd, true)
	if h == nil {
		// Whatever the fd's current flag, it is registered with the
		// poller (through a private duplicate; see handle). In blocking
		// mode and with SOCK_NONBLOCK its O_NONBLOCK flag is left as it
		// was, as CPython leaves it.
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
		if err != nil {
			return nil, toPyErr(err)
		}
		h, err = adoptShared(fd, flags&unix.O_NONBLOCK != 0 || setFlag)
		if err != nil {
			return nil, err
		}
	} else if setFlag {
		if err := h.setNonblock(true); err != nil {
			return nil, err
		}
	}
	h.expose()
	return newSocketObject(h, family, typ, proto, ns), nil
}

// Family is the socket.family property (an AddressFamily).
func (s *Socket) Family() AddressFamily {
	s = s.orClosed()
	return AddressFamily(s.family)
}

// Type is the socket.type property (a SocketKind), without SOCK_NONBLOCK
// and SOCK_CLOEXEC.
func (s *Socket) Type() SocketKind {
	s = s.orClosed()
	return SocketKind(s.typ)
}

// Proto is the socket.proto property.
func (s *Socket) Proto() int {
	s = s.orClosed()
	return int(s.proto)
}

// Fileno is socket.fileno(): the fd, or -1 once closed or detached.
// Once the number is given out, the socket's calls that would wait read
// the kernel's O_NONBLOCK flag and SO_RCVTIMEO/SO_SNDTIMEO there, since
// they may be changed through it (see outside_linux.go).
func (s *Socket) Fileno() int {
	s = s.orClosed()
	if h := s.h.Load(); h != nil {
		h.expose() // another socket may be made from the number (see fdesc)
		s.prepareLooks(h)
		return h.fd
	}
	return -1
}

// fileno is Fileno for pysock's own use: the number is not given out.
func (s *Socket) fileno() int {
	if h := s.h.Load(); h != nil {
		return h.fd
	}
	return -1
}

// shownFileno is the number as pysock shows it (repr, the selectors'
// keys, poll's events): the kernel's flag is pinned first, since the
// number can be used from there, but the socket does not look for changes
// made through it (see fdesc.out).
func (s *Socket) shownFileno() int {
	if h := s.h.Load(); h != nil {
		h.pin()
		return h.fd
	}
	return -1
}

// Close is socket.close(). It is idempotent; calls blocked in other
// goroutines return OSError(9) promptly. As in CPython, ECONNRESET from
// close(2) is ignored and EBADF (the fd was closed behind the socket's back)
// is returned; and while files made by MakeFile are open, Close only marks
// the socket closed (its repr says [closed]) and the fd stays open, usable,
// until the last file is closed.
func (s *Socket) Close() error {
	s = s.orClosed()
	s.iomu.Lock()
	s.userClosed = true
	refs := s.ioRefs
	s.iomu.Unlock()
	if refs > 0 {
		return nil // the files made by MakeFile keep the fd open
	}
	return s.realClose()
}

// realClose closes the fd (Python's _real_close).
func (s *Socket) realClose() error {
	h := s.h.Swap(nil)
	if h == nil {
		return nil
	}
	err := h.close()
	h.wakeWaiters()
	if err == nil {
		return nil
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if errno == syscall.ECONNRESET {
			return nil
		}
		return pyerr.FromErrno(errno)
	}
	return nil
}

// increfIO and decrefIO are Python's _io_refs bookkeeping for MakeFile.
func (s *Socket) increfIO() {
	s.iomu.Lock()
	s.ioRefs++
	s.iomu.Unlock()
}

func (s *Socket) decrefIO() error {
	s.iomu.Lock()
	if s.ioRefs > 0 {
		s.ioRefs--
	}
	closeNow := s.userClosed && s.ioRefs == 0
	s.iomu.Unlock()
	if closeNow {
		return s.realClose()
	}
	return nil
}

// closed is Python's _closed: Close or Detach was called.
func (s *Socket) closed() bool {
	s.iomu.Lock()
	defer s.iomu.Unlock()
	return s.userClosed || s.h.Load() == nil
}

// Detach is socket.detach(): the socket object becomes closed without
// closing the fd, whose number it returns (-1 if already closed). The fd
// keeps its flags and its registration with the runtime poller, so
// FromFileno on it later is cheap.
func (s *Socket) Detach() int {
	s = s.orClosed()
	s.iomu.Lock()
	s.userClosed = true
	s.iomu.Unlock()
	h := s.h.Swap(nil)
	if h == nil {
		return -1
	}
	if h.priv {
		// The File holds a private duplicate: close it, the caller's
		// number stays open.
		h.closeFile()
		h.wakeWaiters()
		return h.fd
	}
	h.expose() // the number is given out: a socket adopted from it shares the record
	rememberDetached(h, s)
	return h.fd
}

// Dup is socket.dup(): a new Socket on a duplicate of the fd, with the same
// family, type, proto and timeout. The duplicate is non-inheritable.
func (s *Socket) Dup() (*Socket, error) {
	s = s.orClosed()
	h, err := s.handle()
	if err != nil {
		return nil, err
	}
	var nfd int
	err = h.control(func(fd int) error {
		var e error
		nfd, e = unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		return e
	})
	if err != nil {
		return nil, toPyErr(err)
	}
	// The duplicate shares the file description and so its O_NONBLOCK
	// flag, and the record of it (fdesc). Once pinned, blocking mode
	// clears the flag: set it so that os.NewFile registers the fd, then
	// leave it as the socket's mode has it. Before, it is set.
	d := h.desc
	d.mu.Lock()
	defer d.mu.Unlock()
	pinned := d.pinned.Load()
	if pinned {
		if err := setFIONBIO(nfd, true); err != nil {
			unix.Close(nfd)
			return nil, toPyErr(err)
		}
	}
	ns := s.timeout.Load()
	nh, err := registerFresh(nfd)
	if err != nil {
		return nil, err
	}
	if pinned && ns < 0 {
		if err := setFIONBIO(nh.fd, false); err != nil {
			nh.file.Close()
			return nil, toPyErr(err)
		}
	}
	nh.link(d)
	d.nb.Store(ns >= 0)
	return newSocketObject(nh, int(s.family), int(s.typ), int(s.proto), ns), nil
}

// GetInheritable is socket.get_inheritable(): whether FD_CLOEXEC is clear.
func (s *Socket) GetInheritable() (bool, error) {
	s = s.orClosed()
	h, err := s.handle()
	if err != nil {
		return false, err
	}
	var flags int
	err = h.control(func(fd int) error {
		var e error
		flags, e = unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		return e
	})
	if err != nil {
		return false, toPyErr(err)
	}
	return flags&unix.FD_CLOEXEC == 0, nil
}

// SetInheritable is socket.set_inheritable(inheritable).
func (s *Socket) SetInheritable(inheritable bool) error {
	s = s.orClosed()
	h, err := s.handle()
	if err != nil {
		return err
	}
	if inheritable {
		h.pin() // a child process will have the description
	}
	return toPyErr(h.control(func(fd int) error {
		flags, e := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if e != nil {
			return e
		}
		if inheritable {
			flags &^= unix.FD_CLOEXEC
		} else {
			flags |= unix.FD_CLOEXEC
		}
		_, e = unix.FcntlInt(uintptr(fd), unix.F_SETFD, flags)
		return e
	}))
}

// Repr is repr(socket), byte for byte as CPython prints it:
// <socket.socket fd=3, family=2, type=1, proto=0, laddr=('127.0.0.1', 8080)>.
func (s *Socket) Repr() string {
	s = s.orClosed()
	var b strings.Builder
	fd := s.shownFileno()
	closed := s.closed()
	b.WriteString("<socket.socket ")
	if closed {
		b.WriteString("[closed] ")
	}
	fmt.Fprintf(&b, "fd=%d, family=%d, type=%d, proto=%d", fd, s.family, s.typ, s.proto)
	if !closed {
		if a, err := s.GetSockName(); err == nil && truthy(a) {
			b.WriteString(", laddr=" + a.String())
		}
		if a, err := s.GetPeerName(); err == nil && truthy(a) {
			b.WriteString(", raddr=" + a.String())
		}
	}
	b.WriteString(">")
	return b.String()
}

// String is str(socket), the same as Repr.
func (s *Socket) String() string {
	s = s.orClosed()
	return s.Repr()
}
