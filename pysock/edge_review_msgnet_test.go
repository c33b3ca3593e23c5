package pysock_test

// Regression tests for what an outside review of sendmsg/recvmsg
// (msg_linux.go) and the net adapters (netconn.go) found: each showed a
// difference from CPython 3.11 (the Python snippet and its output are in
// the comment above the test) or from Go's net contracts.

import (
	"encoding/binary"
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// msgCloseFds closes the descriptors an SCM_RIGHTS item carried.
func msgCloseFds(anc []pysock.AncData) {
	for _, a := range anc {
		if a.Level != pysock.SOL_SOCKET || a.Type != pysock.SCM_RIGHTS {
			continue
		}
		for i := 0; i+4 <= len(a.Data); i += 4 {
			pysock.Close(int(int32(binary.NativeEndian.Uint32(a.Data[i:]))))
		}
	}
}

// CPython builds send_fds's SCM_RIGHTS item with array.array("i", fds), so
// a descriptor number outside a C int is OverflowError before anything is
// sent.
//
//	>>> a, b = socket.socketpair()
//	>>> socket.send_fds(a, [b'x'], [1 << 32])
//	OverflowError: signed integer is greater than maximum
//	>>> socket.send_fds(a, [b'x'], [-2**31 - 1])
//	OverflowError: signed integer is less than minimum
//	>>> a.close(); socket.send_fds(a, [b'x'], [1 << 32])   # before EBADF too
//	OverflowError: signed integer is greater than maximum
//
// pysock did: truncated it to 32 bits (1<<32 became fd 0, which was then
// passed to the peer, a different descriptor from the one asked for), and
// a closed socket gave OSError(9).
func TestMsgSendFdsOutOfIntRange(t *testing.T) {
	cases := []struct {
		name   string
		fd     int
		closed bool
		want   string
	}{
		{"1<<32", 1 << 32, false, "OverflowError: signed integer is greater than maximum"},
		{"-2**31-1", -(1 << 31) - 1, false, "OverflowError: signed integer is less than minimum"},
		{"closed socket", 1 << 32, true, "OverflowError: signed integer is greater than maximum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b, err := pysock.SocketPair(-1, -1, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			defer b.Close()
			if c.closed {
				a.Close()
			}
			n, err := pysock.SendFds(a, [][]byte{[]byte("x")}, []int{c.fd})
			if got := excString(err); got != c.want {
				t.Errorf("SendFds(fd=%d) = %d, %s; CPython: %s", c.fd, n, got, c.want)
			}
			if c.closed {
				return
			}
			b.SetBlocking(false)
			m, err := b.RecvMsg(10, 64)
			if err == nil {
				msgCloseFds(m.AncData)
				t.Errorf("the peer received %v: a descriptor was passed although CPython sends nothing", m)
			}
		})
	}
}

// recv_fds computes CMSG_LEN(maxfds * 4) with Python ints, so a maxfds
// whose product does not fit a C ssize_t is OverflowError, before any
// data is read.
//
//	>>> a, b = socket.socketpair(); a.send(b'x')
//	>>> socket.recv_fds(b, 10, 1 << 62)
//	OverflowError: Python int too large to convert to C ssize_t
//	>>> socket.recv_fds(b, 10, 1 << 61)
//	OverflowError: Python int too large to convert to C ssize_t
//
// pysock did: multiplied in Go ints; 1<<62 * 4 wrapped to 0 and the call
// went on and consumed the queued message, 1<<61 * 4 gave "CMSG_LEN()
// argument out of range".
func TestMsgRecvFdsHugeMaxfds(t *testing.T) {
	for _, maxfds := range []int{1 << 62, 1 << 61} {
		a, b, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		b.SetBlocking(false)
		if _, err := a.Send([]byte("x")); err != nil {
			t.Fatal(err)
		}
		r, err := pysock.RecvFds(b, 10, maxfds)
		for _, fd := range r.Fds {
			pysock.Close(fd)
		}
		want := "OverflowError: Python int too large to convert to C ssize_t"
		if got := excString(err); got != want {
			t.Errorf("RecvFds(maxfds=%d) = %v, %s; CPython: %s", maxfds, r, got, want)
		}
		a.Close()
		b.Close()
	}
}

// recvmsg(..., MSG_ERRQUEUE) never sleeps in the kernel on an AF_INET,
// AF_INET6 or AF_PACKET socket: an empty error queue is EAGAIN at once,
// even on a blocking socket, and the usual way to drain the queue is to
// call it until BlockingIOError. The same for recv, recvfrom, recv_into
// and recvfrom_into. Timeout mode polls for POLLIN before the call, which
// an empty error queue never raises: TimeoutError once the timeout is up.
// AF_UNIX ignores the flag: the blocking call waits for data.
//
//	>>> s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
//	>>> s.bind(('127.0.0.1', 0)); s.setsockopt(socket.IPPROTO_IP, 11, 1)  # IP_RECVERR
//	>>> s.recvmsg(100, 1024, socket.MSG_ERRQUEUE)
//	BlockingIOError: [Errno 11] Resource temporarily unavailable
//	>>> s.recv(100, socket.MSG_ERRQUEUE)
//	BlockingIOError: [Errno 11] Resource temporarily unavailable
//	>>> s.settimeout(0.3); s.recv(100, socket.MSG_ERRQUEUE)
//	TimeoutError: timed out                            (after 0.3 s)
//
// pysock did: blocking mode parked the call on EAGAIN waiting for POLLIN,
// which the error queue never raises: the call hung until the socket was
// closed.
func TestMsgErrQueueBlocking(t *testing.T) {
	eq := pysock.MSG_ERRQUEUE
	calls := []struct {
		name string
		call func(s *pysock.Socket) error
	}{
		{"recvmsg", func(s *pysock.Socket) error { _, err := s.RecvMsg(100, 1024, eq); return err }},
		{"recvmsg_into", func(s *pysock.Socket) error {
			_, err := s.RecvMsgInto([][]byte{make([]byte, 100)}, 1024, eq)
			return err
		}},
		{"recv", func(s *pysock.Socket) error { _, err := s.Recv(100, eq); return err }},
		{"recvfrom", func(s *pysock.Socket) error { _, _, err := s.RecvFrom(100, eq); return err }},
		{"recv_into", func(s *pysock.Socket) error { _, err := s.RecvInto(make([]byte, 100), 0, eq); return err }},
		{"recvfrom_into", func(s *pysock.Socket) error {
			_, _, err := s.RecvFromInto(make([]byte, 100), 0, eq)
			return err
		}},
	}
	for _, c := range calls {
		for _, timeout := range []any{nil, 0.2} {
			name := c.name + "/blocking"
			if timeout != nil {
				name = c.name + "/timeout"
			}
			t.Run(name, func(t *testing.T) {
				s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if err := s.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
					t.Fatal(err)
				}
				if err := s.SetSockOpt(pysock.IPPROTO_IP, 11 /* IP_RECVERR */, 1); err != nil {
					t.Fatal(err)
				}
				if err := s.SetTimeout(timeout); err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				done, ok := within(2*time.Second, func() { err = c.call(s) })
				if !ok {
					s.Close()
					<-done
					t.Fatalf("%s(MSG_ERRQUEUE) on an empty error queue still waiting after 2 s", name)
				}
				took := time.Since(start)
				if timeout == nil {
					if !errors.Is(err, syscall.EAGAIN) {
						t.Errorf("%s(MSG_ERRQUEUE) = %s; CPython: BlockingIOError: [Errno 11] Resource temporarily unavailable", name, excString(err))
					}
					return
				}
				if got := excString(err); got != "TimeoutError: timed out" || took < 150*time.Millisecond {
					t.Errorf("%s(MSG_ERRQUEUE) = %s after %v; CPython: TimeoutError: timed out after 0.2 s", name, got, took)
				}
			})
		}
	}
}

// Draining a real error: an ICMP port unreachable for a datagram sent to a
// closed port is queued with IP_RECVERR. A waiting timeout-mode recvmsg
// gets it (POLLERR wakes the poll), then the empty queue is EAGAIN in
// blocking mode and TimeoutError in timeout mode.
//
//	>>> s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
//	>>> s.setsockopt(socket.IPPROTO_IP, 11, 1); s.connect(('127.0.0.1', CLOSED))
//	>>> s.send(b'x'); s.settimeout(5)
//	>>> d, anc, fl, addr = s.recvmsg(100, 1024, socket.MSG_ERRQUEUE); d, fl, addr
//	(b'x', 8192, ('127.0.0.1', CLOSED))
//	>>> s.settimeout(None); s.recvmsg(100, 1024, socket.MSG_ERRQUEUE)
//	BlockingIOError: [Errno 11] Resource temporarily unavailable
//	>>> s.settimeout(0.3); s.recvmsg(100, 1024, socket.MSG_ERRQUEUE)
//	TimeoutError: timed out
//	>>> s.recv(100)
//	TimeoutError: timed out
func TestMsgErrQueueDrain(t *testing.T) {
	p, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	pa, err := p.GetSockName()
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	port := pa.(pysock.InetAddr).Port
	s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetSockOpt(pysock.IPPROTO_IP, 11 /* IP_RECVERR */, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Connect(pysock.Tuple{"127.0.0.1", port}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send([]byte("x")); err != nil {
		t.Fatal(err)
	}
	s.SetTimeout(5.0)
	m, err := s.RecvMsg(100, 1024, pysock.MSG_ERRQUEUE)
	if err != nil || string(m.Data) != "x" || m.MsgFlags&int(pysock.MSG_ERRQUEUE) == 0 || len(m.AncData) != 1 {
		t.Fatalf("recvmsg(MSG_ERRQUEUE) after an ICMP error = %v, %s; CPython: (b'x', [one IP_RECVERR item], 8192, ('127.0.0.1', %d))", m, excString(err), port)
	}
	s.SetTimeout(nil)
	done, ok := within(2*time.Second, func() { _, err = s.RecvMsg(100, 1024, pysock.MSG_ERRQUEUE) })
	if !ok {
		s.Close()
		<-done
		t.Fatal("blocking recvmsg(MSG_ERRQUEUE) on the drained queue still waiting after 2 s; CPython: BlockingIOError(11) at once")
	}
	if !errors.Is(err, syscall.EAGAIN) {
		t.Errorf("blocking recvmsg(MSG_ERRQUEUE) on the drained queue = %s; CPython: BlockingIOError(11)", excString(err))
	}
	s.SetTimeout(0.2)
	if _, err := s.RecvMsg(100, 1024, pysock.MSG_ERRQUEUE); excString(err) != "TimeoutError: timed out" {
		t.Errorf("timeout-mode recvmsg(MSG_ERRQUEUE) on the drained queue = %s; CPython: TimeoutError: timed out", excString(err))
	}
	if _, err := s.Recv(100); excString(err) != "TimeoutError: timed out" {
		t.Errorf("timeout-mode recv(100) after the drain = %s; CPython: TimeoutError: timed out", excString(err))
	}
}

// Where the kernel ignores MSG_ERRQUEUE (AF_UNIX), the blocking call
// still waits for data, as the kernel's call does.
//
//	>>> a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
//	>>> threading.Timer(0.2, lambda: a.send(b'x')).start()
//	>>> b.recv(10, socket.MSG_ERRQUEUE)
//	b'x'                                               (after 0.2 s)
func TestMsgErrQueueUnixWaits(t *testing.T) {
	a, b, err := pysock.SocketPair(pysock.AF_UNIX, pysock.SOCK_DGRAM, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	tm := time.AfterFunc(200*time.Millisecond, func() { a.Send([]byte("x")) })
	defer tm.Stop()
	var d []byte
	done, ok := within(5*time.Second, func() { d, err = b.Recv(10, pysock.MSG_ERRQUEUE) })
	if !ok {
		b.Close()
		<-done
		t.Fatal("recv(10, MSG_ERRQUEUE) on AF_UNIX did not return within 5 s")
	}
	if err != nil || string(d) != "x" {
		t.Errorf("recv(10, MSG_ERRQUEUE) on AF_UNIX = %q, %s; CPython waits and returns b'x'", d, excString(err))
	}
}

// FromNetConn takes any syscall.Conn; a nil one (or a nil *net.TCPConn,
// whose SyscallConn dereferences its receiver) is an error, as CPython's
// fromfd on None:
//
//	>>> socket.fromfd(None, socket.AF_INET, socket.SOCK_STREAM)
//	TypeError: 'NoneType' object cannot be interpreted as an integer
//
// A syscall.Conn whose SyscallConn returns no RawConn and no error has no
// descriptor: OSError(9).
//
// pysock did: panicked inside FromNetConn (a nil pointer dereference).
func TestNetFromNetConnNil(t *testing.T) {
	cases := []struct {
		name string
		c    syscall.Conn
	}{
		{"nil interface", nil},
		{"nil *net.TCPConn", (*net.TCPConn)(nil)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s *pysock.Socket
			var err error
			panicked := func() (p any) {
				defer func() { p = recover() }()
				s, err = pysock.FromNetConn(c.c)
				return nil
			}()
			if panicked != nil {
				t.Fatalf("FromNetConn(%s) panicked: %v", c.name, panicked)
			}
			if s != nil {
				s.Close()
			}
			want := "TypeError: 'NoneType' object cannot be interpreted as an integer"
			if got := excString(err); got != want {
				t.Errorf("FromNetConn(%s) = %s; fromfd(None, ...): %s", c.name, got, want)
			}
		})
	}
	s, err := pysock.FromNetConn(nilRawConn{})
	if s != nil {
		s.Close()
	}
	if want := "OSError: [Errno 9] Bad file descriptor"; excString(err) != want || !errors.Is(err, syscall.EBADF) {
		t.Errorf("FromNetConn(a conn whose SyscallConn returns nil, nil) = %s; want %s", excString(err), want)
	}
}

// nilRawConn is a syscall.Conn whose SyscallConn returns (nil, nil).
type nilRawConn struct{}

func (nilRawConn) SyscallConn() (syscall.RawConn, error) { return nil, nil }

// FromNetConn is documented as socket.fromfd for a Go connection. On a
// closed connection, fromfd's dup fails with EBADF:
//
//	>>> s = socket.socket(); fd = s.detach(); os.close(fd)
//	>>> socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)
//	OSError: [Errno 9] Bad file descriptor
//
// pysock did: an errno-less OSError whose text was Go's ("raw-control tcp
// ...: use of closed network connection"), which matched neither
// syscall.EBADF nor net.ErrClosed under errors.Is.
func TestNetFromNetConnClosed(t *testing.T) {
	c, sc := goNetPair(t)
	sc.Close()
	c.Close()
	s, err := pysock.FromNetConn(c)
	if s != nil {
		s.Close()
	}
	want := "OSError: [Errno 9] Bad file descriptor"
	if got := excString(err); got != want || !errors.Is(err, syscall.EBADF) || !errors.Is(err, net.ErrClosed) {
		t.Errorf("FromNetConn(closed conn) = %s (errors.Is EBADF: %v, net.ErrClosed: %v); fromfd on a closed fd: %s",
			got, errors.Is(err, syscall.EBADF), errors.Is(err, net.ErrClosed), want)
	}
}

// The echo pattern of net.PacketConn, WriteTo(p, the addr ReadFrom gave),
// on a dual-stack AF_INET6 socket whose peer is IPv4: ReadFrom reports the
// mapped address ::ffff:127.0.0.1 as a 16-byte net.IP. Go's own
// net.UDPConn on "[::]:0" writes to it, and so does CPython with the
// address recvfrom gave:
//
//	>>> u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(('::', 0))
//	>>> v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
//	>>> v.sendto(b'ping', ('127.0.0.1', u.getsockname()[1]))
//	>>> d, a = u.recvfrom(10); a
//	('::ffff:127.0.0.1', 48618, 0, 0)
//	>>> u.sendto(d, a)
//	4
//
// A 4-byte IPv4 net.IP is sent the same way (Go maps it for an IPv6
// socket); on an AF_INET socket the address keeps its plain form.
//
// pysock did: WriteTo turned every IP that To4() accepts into the string
// "127.0.0.1", which an AF_INET6 socket cannot resolve (gaierror -9).
func TestNetPacketConnEchoMappedIPv4(t *testing.T) {
	u, err := pysock.NewSocket(pysock.AF_INET6, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Skip("no IPv6:", err)
	}
	defer u.Close()
	if err := u.Bind(pysock.Tuple{"::", 0}); err != nil {
		t.Skip("cannot bind [::]:", err)
	}
	ua, err := u.GetSockName()
	if err != nil {
		t.Fatal(err)
	}
	v, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if _, err := v.SendTo([]byte("ping"), pysock.Tuple{"127.0.0.1", ua.(pysock.Inet6Addr).Port}); err != nil {
		t.Fatal(err)
	}
	pc := u.NetPacketConn()
	pc.SetDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 10)
	n, addr, err := pc.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.WriteTo(buf[:n], addr); err != nil {
		t.Errorf("WriteTo(%q, %v) [the address ReadFrom returned] = %v; Go's UDPConn and CPython's sendto send it", buf[:n], addr, err)
		return
	}
	v.SetTimeout(5.0)
	if d, _, err := v.RecvFrom(10); err != nil || string(d) != "ping" {
		t.Errorf("echo: got %q, %s", d, excString(err))
	}
	va, err := v.GetSockName()
	if err != nil {
		t.Fatal(err)
	}
	vport := va.(pysock.InetAddr).Port
	// A 4-byte IPv4 address on the AF_INET6 socket.
	to4 := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1).To4(), Port: vport}
	if _, err := pc.WriteTo([]byte("four"), to4); err != nil {
		t.Errorf("AF_INET6 WriteTo(%v) = %v; Go's UDPConn sends it to ::ffff:127.0.0.1", to4, err)
	} else if d, _, err := v.RecvFrom(10); err != nil || string(d) != "four" {
		t.Errorf("AF_INET6 WriteTo(%v): got %q, %s", to4, d, excString(err))
	}
	// A v4-mapped address on the AF_INET socket: the plain form.
	mapped := &net.UDPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: ua.(pysock.Inet6Addr).Port}
	vc := v.NetPacketConn()
	if _, err := vc.WriteTo([]byte("back"), mapped); err != nil {
		t.Errorf("AF_INET WriteTo(%v) = %v; Go's UDPConn sends it to 127.0.0.1", mapped, err)
	} else if n, _, err := pc.ReadFrom(buf); err != nil || string(buf[:n]) != "back" {
		t.Errorf("AF_INET WriteTo(%v): got %q, %v", mapped, buf[:n], err)
	}
}

// send_fds and recv_fds are plain Python functions with a fixed
// signature: extra positional arguments are a TypeError, and nothing is
// sent or received.
//
//	>>> a, b = socket.socketpair()
//	>>> socket.send_fds(a, [b'x'], [0], 0, None, 9)
//	TypeError: send_fds() takes from 3 to 5 positional arguments but 6 were given
//	>>> socket.recv_fds(b, 10, 1, 0, 0)
//	TypeError: recv_fds() takes from 3 to 4 positional arguments but 5 were given
//
// pysock did: its variadic tails accepted and ignored any number (other
// wrappers of Lib/socket.py, create_connection and sendfile, do check the
// count).
func TestMsgSendRecvFdsTooManyArgs(t *testing.T) {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	b.SetBlocking(false)
	n, err := pysock.SendFds(a, [][]byte{[]byte("x")}, []int{0}, 0, nil, 9)
	if want := "TypeError: send_fds() takes from 3 to 5 positional arguments but 6 were given"; excString(err) != want {
		t.Errorf("SendFds(a, [b'x'], [0], 0, None, 9) = %d, %s; CPython: %s", n, excString(err), want)
	}
	if _, err := a.Send([]byte("y")); err != nil {
		t.Fatal(err)
	}
	r, err := pysock.RecvFds(b, 10, 1, 0, 0)
	for _, fd := range r.Fds {
		pysock.Close(fd)
	}
	if want := "TypeError: recv_fds() takes from 3 to 4 positional arguments but 5 were given"; excString(err) != want {
		t.Errorf("RecvFds(b, 10, 1, 0, 0) = %v, %s; CPython: %s", r, excString(err), want)
	}
}
