package pysock_test

// Outside review of setsockopt/getsockopt and socket creation: each test
// here failed on the code reviewed (65ba9c1), where pysock differed from
// CPython 3.11.
// The CPython behaviour is quoted above each test (python3 3.11.7, Linux,
// run as shown).

import (
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// revWant fails the test unless err is "Class: str" want.
func revWant(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := excString(err); got != want {
		t.Errorf("%s: got %s; CPython: %s", what, got, want)
	}
}

// revSocket is NewSocket that closes the socket when the test ends.
func revSocket(t *testing.T, fam pysock.AddressFamily, kind pysock.SocketKind, proto int) *pysock.Socket {
	t.Helper()
	s, err := pysock.NewSocket(fam, kind, proto)
	if err != nil {
		t.Fatalf("NewSocket(%d, %d, %d): %v", fam, kind, proto, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// revNonblock reports the kernel's O_NONBLOCK flag of fd.
func revNonblock(t *testing.T, fd int) bool {
	t.Helper()
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		t.Fatalf("F_GETFL(%d): %v", fd, err)
	}
	return fl&unix.O_NONBLOCK != 0
}

// revBlockingFd is a fresh AF_INET stream socket fd, blocking (O_NONBLOCK
// clear), close-on-exec, not known to pysock.
func revBlockingFd(t *testing.T) int {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	return fd
}

// setsockopt(level, optname, int) takes exactly 3 arguments: an optlen after
// an int or bytes value is CPython's TypeError, and the option is not set.
//
//	>>> s = socket.socket()
//	>>> s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1, 4)
//	TypeError: setsockopt() takes exactly 3 arguments (4 given)
//	>>> s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, b'\1\0\0\0', 4)
//	TypeError: setsockopt() takes exactly 3 arguments (4 given)
//	>>> s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)
//	0
//
// pysock did: it ignored the optlen, set the option and returned nil.
func TestSetSockOptOptlenWithValue(t *testing.T) {
	s := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, -1)
	err := s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, 1, 4)
	revWant(t, "setsockopt(SOL_SOCKET, SO_REUSEADDR, 1, 4)", err,
		"TypeError: setsockopt() takes exactly 3 arguments (4 given)")
	err = s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, []byte{1, 0, 0, 0}, 4)
	revWant(t, "setsockopt(SOL_SOCKET, SO_REUSEADDR, b'\\1\\0\\0\\0', 4)", err,
		"TypeError: setsockopt() takes exactly 3 arguments (4 given)")
	if v, err := s.GetSockOptInt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR); err != nil || v != 0 {
		t.Errorf("SO_REUSEADDR after the refused calls = %d, %v; CPython leaves it 0", v, err)
	}
}

// setsockopt(level, optname, None, optlen) takes exactly 4 arguments.
//
//	>>> s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, None, 4, 5)
//	TypeError: setsockopt() takes exactly 3 arguments (5 given)
//
// pysock did: it used the first optlen and made the call: OSError(14, 'Bad address').
func TestSetSockOptNoneTwoOptlens(t *testing.T) {
	s := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, -1)
	err := s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, nil, 4, 5)
	revWant(t, "setsockopt(SOL_SOCKET, SO_REUSEADDR, None, 4, 5)", err,
		"TypeError: setsockopt() takes exactly 3 arguments (5 given)")
}

// getsockopt(level, optname[, buflen]) takes at most 3 arguments.
//
//	>>> s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE, 4, 5)
//	TypeError: getsockopt() takes at most 3 arguments (4 given)
//
// pysock did: it used the first buflen and returned b'\x01\x00\x00\x00'.
func TestGetSockOptTwoBuflens(t *testing.T) {
	s := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, -1)
	v, err := s.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_TYPE, 4, 5)
	revWant(t, "getsockopt(SOL_SOCKET, SO_TYPE, 4, 5) (result "+pysock.Repr(v)+")", err,
		"TypeError: getsockopt() takes at most 3 arguments (4 given)")
}

// listen([backlog]) takes at most one argument; the socket is not put in
// the listening state.
//
//	>>> s = socket.socket(); s.bind(('127.0.0.1', 0))
//	>>> s.listen(1, 2)
//	TypeError: listen() takes at most 1 argument (2 given)
//	>>> s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
//	0
//
// pysock did: it listened with the first backlog and returned nil.
func TestListenTwoBacklogs(t *testing.T) {
	s := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err := s.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	err := s.Listen(1, 2)
	revWant(t, "listen(1, 2)", err, "TypeError: listen() takes at most 1 argument (2 given)")
	if v, err := s.GetSockOptInt(pysock.SOL_SOCKET, pysock.SO_ACCEPTCONN); err != nil || v != 0 {
		t.Errorf("SO_ACCEPTCONN after listen(1, 2) = %d, %v; CPython's socket is not listening (0)", v, err)
	}
}

// fromfd(fd, family, type, proto=0) takes at most 4 positional arguments;
// nothing is duplicated.
//
//	>>> socket.fromfd(s.fileno(), socket.AF_INET, socket.SOCK_STREAM, 0, 1)
//	TypeError: fromfd() takes from 3 to 4 positional arguments but 5 were given
//
// pysock did: it ignored the extra proto and returned a socket.
func TestFromFdExtraArgument(t *testing.T) {
	s := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, -1)
	d, err := pysock.FromFd(s.Fileno(), pysock.AF_INET, pysock.SOCK_STREAM, 0, 1)
	if d != nil {
		d.Close()
	}
	revWant(t, "fromfd(fd, AF_INET, SOCK_STREAM, 0, 1)", err,
		"TypeError: fromfd() takes from 3 to 4 positional arguments but 5 were given")
}

// socket(family, type|SOCK_NONBLOCK, proto, fileno=fd): CPython's
// init_sockobject gives the socket timeout 0.0 when SOCK_NONBLOCK is in
// the type argument, whatever getdefaulttimeout() says, and then does not
// touch the fd's O_NONBLOCK flag (internal_setblocking is only called on
// the default-timeout branch). fromfd() goes through the same constructor.
//
//	>>> fd = socket.socket().detach()          # a blocking fd
//	>>> s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0, fileno=fd)
//	>>> s.gettimeout(), s.getblocking(), bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK), s.type
//	(0.0, False, False, <SocketKind.SOCK_STREAM: 1>)
//	>>> f = socket.fromfd(fd2, socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
//	>>> f.gettimeout(), f.getblocking()
//	(0.0, False)
//	>>> socket.setdefaulttimeout(1.5)
//	>>> s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, fileno=fd3)
//	>>> s.gettimeout(), bool(fcntl.fcntl(fd3, fcntl.F_GETFL) & os.O_NONBLOCK)
//	(0.0, False)
//
// pysock did: FromFileno ignored SOCK_NONBLOCK: the socket was in blocking mode
// (None), or with a default timeout in timeout mode (1.5) with O_NONBLOCK set.
func TestFromFilenoSockNonblock(t *testing.T) {
	check := func(t *testing.T, s *pysock.Socket, fd int, wantFlag bool) {
		t.Helper()
		if got := pysock.Repr(s.GetTimeout()); got != "0.0" {
			t.Errorf("gettimeout() = %s, CPython 0.0", got)
		}
		if s.GetBlocking() {
			t.Errorf("getblocking() = True, CPython False")
		}
		if got := revNonblock(t, fd); got != wantFlag {
			t.Errorf("O_NONBLOCK = %v, CPython leaves it %v", got, wantFlag)
		}
		if s.Type() != pysock.SOCK_STREAM {
			t.Errorf("type = %s, CPython SOCK_STREAM", pysock.Repr(s.Type()))
		}
	}
	t.Run("fileno", func(t *testing.T) {
		fd := revBlockingFd(t)
		s, err := pysock.FromFileno(fd, pysock.AF_INET, pysock.SOCK_STREAM|pysock.SOCK_NONBLOCK, 0)
		if err != nil {
			unix.Close(fd)
			t.Fatal(err)
		}
		defer s.Close()
		check(t, s, fd, false)
	})
	t.Run("fromfd", func(t *testing.T) {
		fd := revBlockingFd(t)
		defer unix.Close(fd)
		s, err := pysock.FromFd(fd, pysock.AF_INET, pysock.SOCK_STREAM|pysock.SOCK_NONBLOCK)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		check(t, s, s.Fileno(), false)
	})
	t.Run("fileno with a default timeout", func(t *testing.T) {
		if err := pysock.SetDefaultTimeout(1.5); err != nil {
			t.Fatal(err)
		}
		defer pysock.SetDefaultTimeout(nil)
		fd := revBlockingFd(t)
		s, err := pysock.FromFileno(fd, pysock.AF_INET, pysock.SOCK_STREAM|pysock.SOCK_NONBLOCK, 0)
		if err != nil {
			unix.Close(fd)
			t.Fatal(err)
		}
		defer s.Close()
		check(t, s, fd, false)
	})
}

// AF_NETLINK addresses are (pid, groups) tuples: CPython binds them,
// returns them from getsockname/getpeername, and repr shows them.
//
//	>>> n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
//	>>> n.getsockname(), n.getpeername()
//	((0, 0), (0, 0))
//	>>> repr(n)
//	'<socket.socket fd=3, family=16, type=3, proto=0, laddr=(0, 0), raddr=(0, 0)>'
//	>>> n.bind((0, 0)); n.getsockname()[1]
//	0
//	>>> n.bind((0,))                 # (on a fresh socket)
//	TypeError: AF_NETLINK address must be a pair (pid, groups)
//
// pysock did: getsockname() returned None, repr had no laddr/raddr, and every
// bind raised OSError('bind(): bad family').
func TestNetlinkAddress(t *testing.T) {
	n, err := pysock.NewSocket(pysock.AF_NETLINK, pysock.SOCK_RAW, pysock.NETLINK_ROUTE)
	if err != nil {
		t.Skipf("no AF_NETLINK socket here: %v", err)
	}
	defer n.Close()
	a, err := n.GetSockName()
	if err != nil || a == nil || a.String() != "(0, 0)" {
		t.Errorf("getsockname() of an unbound netlink socket = %v, %v; CPython (0, 0)", a, err)
	}
	if r := n.Repr(); !strings.HasSuffix(r, ", laddr=(0, 0), raddr=(0, 0)>") {
		t.Errorf("repr = %s; CPython ends it with , laddr=(0, 0), raddr=(0, 0)>", r)
	}
	revWant(t, "netlink bind((0,))", n.Bind(pysock.Tuple{0}),
		"TypeError: AF_NETLINK address must be a pair (pid, groups)")
	revWant(t, "netlink bind((0, 0))", n.Bind(pysock.Tuple{0, 0}), "ok")
}

// AF_VSOCK: an address is (cid, port); setsockopt's "iiK" form takes
// exactly 3 arguments.
//
//	>>> v = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
//	>>> repr(v)
//	'<socket.socket fd=3, family=40, type=1, proto=0, laddr=(4294967295, 4294967295)>'
//	>>> v.setsockopt(socket.AF_VSOCK, socket.SO_VM_SOCKETS_BUFFER_SIZE, None, 8)
//	TypeError: setsockopt() takes exactly 3 arguments (4 given)
//	>>> v.bind((socket.VMADDR_CID_ANY, 12345)); v.getsockname()
//	(4294967295, 12345)
//
// pysock did: "setsockopt() argument 3 must be int, not NoneType", no laddr in
// repr, and bind raised OSError('bind(): bad family').
func TestVsockAddressAndSetSockOpt(t *testing.T) {
	v, err := pysock.NewSocket(pysock.AF_VSOCK, pysock.SOCK_STREAM, -1)
	if err != nil {
		t.Skipf("no AF_VSOCK socket here: %v", err)
	}
	defer v.Close()
	if r := v.Repr(); !strings.HasSuffix(r, ", laddr=(4294967295, 4294967295)>") {
		t.Errorf("repr = %s; CPython ends it with , laddr=(4294967295, 4294967295)>", r)
	}
	err = v.SetSockOpt(int(pysock.AF_VSOCK), pysock.SO_VM_SOCKETS_BUFFER_SIZE, nil, 8)
	revWant(t, "vsock setsockopt(AF_VSOCK, SO_VM_SOCKETS_BUFFER_SIZE, None, 8)", err,
		"TypeError: setsockopt() takes exactly 3 arguments (4 given)")
	err = v.Bind(pysock.Tuple{pysock.VMADDR_CID_ANY, 12345})
	revWant(t, "vsock bind((VMADDR_CID_ANY, 12345))", err, "ok")
	if err == nil {
		a, err := v.GetSockName()
		if err != nil || a == nil || a.String() != "(4294967295, 12345)" {
			t.Errorf("getsockname() = %v, %v; CPython (4294967295, 12345)", a, err)
		}
	}
}

// AF_PACKET addresses are (ifname, proto[, pkttype[, hatype[, addr]]]).
//
//	>>> p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)   # as root
//	>>> repr(p)
//	"<socket.socket fd=3, family=17, type=3, proto=0, laddr=('', 0, 0, 0, b'')>"
//	>>> p.bind(('lo', 0)); p.getsockname()
//	('lo', 0, 0, 772, b'\x00\x00\x00\x00\x00\x00')
//	>>> p.bind(('lo', 65536))        # (on a fresh socket)
//	OverflowError: bind(): proto must be 0-65535.
//
// pysock did: every bind raised OSError('bind(): bad family').
func TestPacketAddress(t *testing.T) {
	p, err := pysock.NewSocket(pysock.AF_PACKET, pysock.SOCK_RAW, 0)
	if err != nil {
		t.Skipf("no AF_PACKET socket here (needs CAP_NET_RAW): %v", err)
	}
	defer p.Close()
	revWant(t, "packet bind(('lo', 65536))", p.Bind(pysock.Tuple{"lo", 65536}),
		"OverflowError: bind(): proto must be 0-65535.")
	err = watchdog(t, 10*time.Second, "packet bind", func() error { return p.Bind(pysock.Tuple{"lo", 0}) })
	revWant(t, "packet bind(('lo', 0))", err, "ok")
}

// The error texts of AF_NETLINK, AF_VSOCK and AF_PACKET addresses, each
// from a fresh socket (python3 3.11.7, as root):
//
//	>>> n.bind([0, 0])
//	TypeError: bind(): AF_NETLINK address must be tuple, not list
//	>>> n.bind(('a', 0))
//	TypeError: 'str' object cannot be interpreted as an integer
//	>>> v.bind((0,))
//	TypeError: getsockaddrarg() takes exactly 2 arguments (1 given)
//	>>> v.bind([0, 0])
//	TypeError: getsockaddrarg: AF_VSOCK address must be tuple, not list
//	>>> p.bind(('lo',))
//	TypeError: AF_PACKET address must be a tuple of two to five elements
//	>>> p.bind((b'lo', 0))
//	TypeError: AF_PACKET address must be a tuple of two to five elements
//	>>> p.bind(('lo', 2**31))
//	OverflowError: bind(): address argument out of range
//	>>> p.bind(('lo', 0, 1, 2, b'123456789'))
//	ValueError: Hardware address must be 8 bytes or less
//	>>> p.bind(('nosuch', 0, 1, 2, b'123456789'))
//	OSError: [Errno 19] No such device
//	>>> p.bind(('lo\0', 0))
//	ValueError: embedded null character
//	>>> p.close(); p.bind(('lo', 0))
//	OSError: [Errno 9] Bad file descriptor
func TestLinuxFamilyAddressErrors(t *testing.T) {
	cases := []struct {
		fam   pysock.AddressFamily
		typ   pysock.SocketKind
		addr  any
		close bool
		want  string
	}{
		{pysock.AF_NETLINK, pysock.SOCK_RAW, []any{0, 0}, false, "TypeError: bind(): AF_NETLINK address must be tuple, not list"},
		{pysock.AF_NETLINK, pysock.SOCK_RAW, pysock.Tuple{"a", 0}, false, "TypeError: 'str' object cannot be interpreted as an integer"},
		{pysock.AF_VSOCK, pysock.SOCK_STREAM, pysock.Tuple{0}, false, "TypeError: getsockaddrarg() takes exactly 2 arguments (1 given)"},
		{pysock.AF_VSOCK, pysock.SOCK_STREAM, []any{0, 0}, false, "TypeError: getsockaddrarg: AF_VSOCK address must be tuple, not list"},
		{pysock.AF_PACKET, pysock.SOCK_RAW, pysock.Tuple{"lo"}, false, "TypeError: AF_PACKET address must be a tuple of two to five elements"},
		{pysock.AF_PACKET, pysock.SOCK_RAW, pysock.Tuple{[]byte("lo"), 0}, false, "TypeError: AF_PACKET address must be a tuple of two to five elements"},
		{pysock.AF_PACKET, pysock.SOCK_RAW, pysock.Tuple{"lo", 1 << 31}, false, "OverflowError: bind(): address argument out of range"},
		{pysock.AF_PACKET, pysock.SOCK_RAW, pysock.Tuple{"lo", 0, 1, 2, []byte("123456789")}, false, "ValueError: Hardware address must be 8 bytes or less"},
		{pysock.AF_PACKET, pysock.SOCK_RAW, pysock.Tuple{"nosuch", 0, 1, 2, []byte("123456789")}, false, "OSError: [Errno 19] No such device"},
		{pysock.AF_PACKET, pysock.SOCK_RAW, pysock.Tuple{"lo\x00", 0}, false, "ValueError: embedded null character"},
		{pysock.AF_PACKET, pysock.SOCK_RAW, pysock.Tuple{"lo", 0}, true, "OSError: [Errno 9] Bad file descriptor"},
	}
	for _, c := range cases {
		s, err := pysock.NewSocket(c.fam, c.typ, 0)
		if err != nil {
			t.Logf("no %s socket here: %v", pysock.Repr(c.fam), err)
			continue
		}
		if c.close {
			s.Close()
		}
		revWant(t, pysock.Repr(c.fam)+" bind("+pysock.Repr(c.addr)+")", s.Bind(c.addr), c.want)
		s.Close()
	}
}
