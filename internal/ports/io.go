package ports

import (
	"errors"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyrepr"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func init() { All["io"] = IO }

// modeRepr prints a settimeout argument as the scenario's %r does.
func modeRepr(m any) string {
	if m == nil {
		return "None"
	}
	return R(m)
}

// IO is the twin of scenarios/io.py (A3-A11 and argument errors).
func IO(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	a.SetBlocking(false)
	t.Show("nonblocking recv(10)", func() (any, error) { return bytesOf(a.Recv(10)) })
	t.Show("nonblocking recv_into", func() (any, error) { return a.RecvInto(make([]byte, 4)) })
	a.SetTimeout(T)
	t.Timed("timeout recv(10)", func() (any, error) { return bytesOf(a.Recv(10)) })
	t.Show("timeout recv(0)", func() (any, error) { return bytesOf(a.Recv(0)) })
	t.Timed("timeout recvfrom(0)", func() (any, error) { return recvfromTuple(a.RecvFrom(0)) })
	a.SetTimeout(5.0)
	time.AfterFunc(T, func() { b.Send([]byte("late data")) })
	t.Timed("timeout recv with data after T", func() (any, error) { return bytesOf(a.Recv(100)) })
	a.SetTimeout(nil)
	time.AfterFunc(T, func() { b.Send([]byte("late again")) })
	t.Timed("blocking recv with data after T", func() (any, error) { return bytesOf(a.Recv(100)) })
	t.Show("recv(10, MSG_DONTWAIT) blocking", func() (any, error) { return bytesOf(a.Recv(10, pysock.MSG_DONTWAIT)) })
	b.Send([]byte("peek"))
	t.Show("recv(10, MSG_PEEK)", func() (any, error) { return bytesOf(a.Recv(10, pysock.MSG_PEEK)) })
	t.Show("recv(10) after peek", func() (any, error) { return bytesOf(a.Recv(10)) })
	b.Send([]byte("abcdef"))
	t.Show("recv(6, MSG_WAITALL)", func() (any, error) { return bytesOf(a.Recv(6, pysock.MSG_WAITALL)) })
	buf := make([]byte, 8)
	b.Send([]byte("xyz"))
	t.Show("recv_into(buf, 2)", func() (any, error) { return a.RecvInto(buf, 2) })
	t.Show("buf", func() (any, error) { return pyrepr.Bytes(buf), nil })
	t.Show("recv(-1)", func() (any, error) { return bytesOf(a.Recv(-1)) })
	t.Show("recv_into(bytearray(5), 10)", func() (any, error) { return a.RecvInto(make([]byte, 5), 10) })
	t.Show("recv_into(bytearray(5), -1)", func() (any, error) { return a.RecvInto(make([]byte, 5), -1) })
	t.Show("recv(10, 2**31)", func() (any, error) { return bytesOf(a.Recv(10, 1<<31)) })
	t.Show("recv(-1, -2**31-1)", func() (any, error) { return bytesOf(a.Recv(-1, -1<<31-1)) })
	t.Show("recv_into(bytearray(5), -1, 2**31)", func() (any, error) { return a.RecvInto(make([]byte, 5), -1, 1<<31) })
	t.Show("recvfrom(10, 2**31)", func() (any, error) { return recvfromTuple(a.RecvFrom(10, 1<<31)) })
	t.Show("recvfrom_into(bytearray(5), 0, -2**31-1)", func() (any, error) { _, _, err := a.RecvFromInto(make([]byte, 5), 0, -1<<31-1); return nil, err })
	t.Show("send(b'x', 2**31)", func() (any, error) { return a.Send([]byte("x"), 1<<31) })
	t.Do("sendall(b'x', -2**31-1)", func() error { return a.SendAll([]byte("x"), -1<<31-1) })
	t.Show("recvmsg(10, 0, 2**31)", func() (any, error) { _, err := a.RecvMsg(10, 0, 1<<31); return nil, err })
	t.Show("recvmsg_into([bytearray(5)], 0, 2**31)", func() (any, error) { _, err := a.RecvMsgInto([][]byte{make([]byte, 5)}, 0, 1<<31); return nil, err })
	t.Show("send(b'')", func() (any, error) { return a.Send(nil) })
	t.Do("sendall(b'')", func() error { return a.SendAll(nil) })
	a.Close()
	b.Close()

	for _, mode := range []any{nil, 0.0, 0.3} {
		a, b, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			return err
		}
		b.SendAll([]byte("last words"))
		b.Close()
		a.SetTimeout(mode)
		m := modeRepr(mode)
		t.Show("mode "+m+" recv after peer close", func() (any, error) { return bytesOf(a.Recv(100)) })
		t.Show("mode "+m+" recv again", func() (any, error) { return bytesOf(a.Recv(100)) })
		t.Show("mode "+m+" recv_into at EOF", func() (any, error) { return a.RecvInto(make([]byte, 4)) })
		a.Close()
	}

	srv, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.Bind(pysock.Tuple{"127.0.0.1", 0})
	srv.Listen()
	addr, _ := srv.GetSockName()
	t.Show("listener repr", func() (any, error) { return srv.Repr(), nil })
	srv.SetBlocking(false)
	t.Show("nonblocking accept", func() (any, error) { return acceptTuple(srv.Accept()) })
	srv.SetTimeout(T)
	t.Timed("timeout accept", func() (any, error) { return acceptTuple(srv.Accept()) })
	for _, dflt := range []any{nil, 0.0, 7.0} {
		pysock.SetDefaultTimeout(dflt)
		c, err := pysock.NewSocket(-1, -1, -1)
		if err != nil {
			return err
		}
		c.SetTimeout(nil)
		if err := c.Connect(addr); err != nil {
			return err
		}
		conn, peer, err := srv.Accept()
		if err != nil {
			return err
		}
		t.Out("default %s: accepted gettimeout=%s getblocking=%s proto=%s peer-host=%s",
			modeRepr(dflt), conn.GetTimeout(), R(conn.GetBlocking()), R(conn.Proto()), R(peer.(pysock.InetAddr).Host))
		t.Show("accepted repr", func() (any, error) { return conn.Repr(), nil })
		t.Show("client getpeername", func() (any, error) { return c.GetPeerName() })
		conn.Close()
		c.Close()
	}
	pysock.SetDefaultTimeout(nil)

	dead, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	dead.Bind(pysock.Tuple{"127.0.0.1", 0})
	deadAddr, _ := dead.GetSockName()
	dead.Close()
	for _, mode := range []any{nil, 0.0, 1.0} {
		m := modeRepr(mode)
		c, err := pysock.NewSocket(-1, -1, -1)
		if err != nil {
			return err
		}
		c.SetTimeout(mode)
		t.Do("mode "+m+" connect(closed port)", func() error { return c.Connect(deadAddr) })
		t.Show("mode "+m+" SO_ERROR after", func() (any, error) { return c.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_ERROR) })
		t.Do("mode "+m+" connect again", func() error { return c.Connect(deadAddr) })
		c.Close()
		c, err = pysock.NewSocket(-1, -1, -1)
		if err != nil {
			return err
		}
		c.SetTimeout(mode)
		var rs []any
		for range 3 {
			n, err := c.ConnectEx(deadAddr)
			if err != nil {
				return err
			}
			rs = append(rs, n)
		}
		t.Out("mode %s connect_ex x3 = %s", m, R(rs))
		c.Close()
	}
	srv.SetTimeout(nil)
	for _, mode := range []any{nil, 1.0} {
		m := modeRepr(mode)
		c, err := pysock.NewSocket(-1, -1, -1)
		if err != nil {
			return err
		}
		c.SetTimeout(mode)
		t.Do("mode "+m+" connect(listener)", func() error { return c.Connect(addr) })
		t.Do("mode "+m+" connect again", func() error { return c.Connect(addr) })
		t.Show("mode "+m+" connect_ex", func() (any, error) { return c.ConnectEx(addr) })
		if conn, _, err := srv.Accept(); err == nil {
			conn.Close()
		}
		c.Close()
	}
	c, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	c.SetBlocking(false)
	t.Do("nonblocking connect(listener)", func() error { return c.Connect(addr) })
	c.SetTimeout(5.0)
	pfd := []unix.PollFd{{Fd: int32(c.Fileno()), Events: unix.POLLOUT}}
	unix.Poll(pfd, 5000)
	t.Show("SO_ERROR when writable", func() (any, error) { return c.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_ERROR) })
	if conn, _, err := srv.Accept(); err == nil {
		conn.Close()
	}
	c.Close()
	c, err = pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	c.Close()
	t.Show("closed connect_ex", func() (any, error) { return c.ConnectEx(addr) })
	t.Do("closed connect", func() error { return c.Connect(addr) })
	t.Show("closed recv(1)", func() (any, error) { return bytesOf(c.Recv(1)) })
	t.Show("closed recv(0)", func() (any, error) { return bytesOf(c.Recv(0)) })
	t.Show("closed send(b'')", func() (any, error) { return c.Send(nil) })
	srv.Close()

	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	a.SetBlocking(false)
	total := 0
	chunk := make([]byte, 65536)
	for {
		n, err := a.Send(chunk)
		if err != nil {
			var be *pyerr.BlockingIOError
			if !errors.As(err, &be) {
				return err
			}
			t.Out("nonblocking send loop ended with %s (sent >0: %s)", be.Repr(), R(total > 0))
			break
		}
		total += n
	}
	t.Do("nonblocking sendall when full", func() error { return a.SendAll(make([]byte, 100000)) })
	a.SetTimeout(T)
	t.Timed("timeout send when full", func() (any, error) { return a.Send(chunk) })
	t.TimedDo("timeout sendall when full", func() error { return a.SendAll(chunk) })
	a.Close()
	b.Close()

	u, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		return err
	}
	defer u.Close()
	u.Bind(pysock.Tuple{"127.0.0.1", 0})
	uaddr, _ := u.GetSockName()
	t.Show("udp repr", func() (any, error) { return u.Repr(), nil })
	u.SetBlocking(false)
	t.Show("nonblocking recvfrom", func() (any, error) { return recvfromTuple(u.RecvFrom(100)) })
	u.SetTimeout(T)
	t.Timed("timeout recvfrom", func() (any, error) { return recvfromTuple(u.RecvFrom(100)) })
	v, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		return err
	}
	defer v.Close()
	t.Show("sendto", func() (any, error) { return v.SendTo([]byte("hello"), uaddr) })
	t.Show("sendto with flags", func() (any, error) { return v.SendTo([]byte("world"), 0, uaddr) })
	t.Show("recvfrom", func() (any, error) { d, _, err := u.RecvFrom(100); return bytesOf(d, err) })
	t.Show("recv(2) of 5-byte datagram", func() (any, error) { return bytesOf(u.Recv(2)) })
	v.SendTo(nil, uaddr)
	t.Show("empty datagram", func() (any, error) { d, _, err := u.RecvFrom(100); return bytesOf(d, err) })
	t.Show("send on unconnected udp", func() (any, error) { return v.Send([]byte("x")) })
	t.Show("sendto too big", func() (any, error) { return v.SendTo(make([]byte, 70000), uaddr) })
	t.Show("sendto bad address", func() (any, error) { return v.SendTo([]byte("x"), "bad") })
	t.Show("sendto 4 args", func() (any, error) { return v.SendTo([]byte("x"), 0, 1, 2) })
	u.Close()
	v.Close()

	s, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, c := range []struct {
		label string
		fn    func() (any, error)
	}{
		{"bind port 70000", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1", 70000}) })},
		{"bind port -1", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1", -1}) })},
		{"connect port 70000", none(func() error { return s.Connect(pysock.Tuple{"127.0.0.1", 70000}) })},
		{"bind port '80'", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1", "80"}) })},
		{"bind port 1.5", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1", 1.5}) })},
		{"bind port None", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1", nil}) })},
		{"bind 'str'", none(func() error { return s.Bind("str") })},
		{"bind 1-tuple", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1"}) })},
		{"bind 3-tuple", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1", 0, 0}) })},
		{"bind host int", none(func() error { return s.Bind(pysock.Tuple{127, 0}) })},
		{"bind host NUL", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1\x00", 0}) })},
		{"bind ::1 on AF_INET", none(func() error { return s.Bind(pysock.Tuple{"::1", 0}) })},
		{"bind 1.2.3.4", none(func() error { return s.Bind(pysock.Tuple{"1.2.3.4", 0}) })},
		{"recv unconnected", func() (any, error) { return bytesOf(s.Recv(1)) }},
		{"send unconnected", func() (any, error) { return s.Send([]byte("x")) }},
		{"getpeername unconnected", func() (any, error) { return s.GetPeerName() }},
		{"getsockname unbound", func() (any, error) { return s.GetSockName() }},
		{"accept not listening", func() (any, error) { return acceptTuple(s.Accept()) }},
		{"shutdown(5)", none(func() error { return s.Shutdown(5) })},
		{"setsockopt bad option", none(func() error { return s.SetSockOpt(pysock.SOL_SOCKET, 9999, 1) })},
		{"getsockopt SO_TYPE", func() (any, error) { return s.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_TYPE) }},
		{"getsockopt buflen 2000", func() (any, error) { return s.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_TYPE, 2000) }},
		{"getsockopt SO_TYPE buflen 4", func() (any, error) { return s.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_TYPE, 4) }},
		{"listen(2**31)", none(func() error { return s.Listen(1 << 31) })},
		{"listen(-2**31-1)", none(func() error { return s.Listen(-1<<31 - 1) })},
		{"shutdown(2**31)", none(func() error { return s.Shutdown(1 << 31) })},
		{"setsockopt(2**31, 1, 1)", none(func() error { return s.SetSockOpt(1<<31, 1, 1) })},
		{"setsockopt(SOL_SOCKET, 2**31, 1)", none(func() error { return s.SetSockOpt(pysock.SOL_SOCKET, 1<<31, 1) })},
		{"setsockopt(SOL_SOCKET, SO_REUSEADDR, 2**31)", none(func() error { return s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, 1<<31) })},
		{"setsockopt(SOL_SOCKET, SO_REUSEADDR, -2**31-1)", none(func() error { return s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, -1<<31-1) })},
		{"setsockopt(SOL_SOCKET, SO_REUSEADDR, 1.5)", none(func() error { return s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, 1.5) })},
		{"setsockopt(SOL_SOCKET, SO_REUSEADDR, None, -1)", none(func() error { return s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, nil, -1) })},
		{"getsockopt(2**31, 1)", func() (any, error) { return s.GetSockOpt(1<<31, 1) }},
		{"getsockopt(SOL_SOCKET, 2**31)", func() (any, error) { return s.GetSockOpt(pysock.SOL_SOCKET, 1<<31) }},
		{"getsockopt(SOL_SOCKET, SO_TYPE, 2**31)", func() (any, error) { return s.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_TYPE, 1<<31) }},
		{"getsockopt(SOL_SOCKET, SO_TYPE, -1)", func() (any, error) { return s.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_TYPE, -1) }},
		{"recvmsg(1, 2**31)", func() (any, error) { _, err := s.RecvMsg(1, 1<<31); return nil, err }},
		{"sendmsg ancillary level 2**31", func() (any, error) {
			return s.SendMsg([][]byte{[]byte("x")}, []pysock.AncData{{Level: 1 << 31, Type: 1, Data: nil}})
		}},
		{"sendmsg flags 2**31", func() (any, error) { return s.SendMsg([][]byte{[]byte("x")}, []pysock.AncData{}, 1<<31) }},
		{"bind ('', 0)", none(func() error { return s.Bind(pysock.Tuple{"", 0}) })},
		{"getsockname after bind", func() (any, error) {
			a, err := s.GetSockName()
			if err != nil {
				return nil, err
			}
			return a.(pysock.InetAddr).Host, nil
		}},
		{"bind twice", none(func() error { return s.Bind(pysock.Tuple{"127.0.0.1", 0}) })},
		{"get_inheritable", func() (any, error) { return s.GetInheritable() }},
	} {
		t.Show(c.label, c.fn)
	}
	s.Close()
	s6, err := pysock.NewSocket(pysock.AF_INET6, pysock.SOCK_DGRAM, 0)
	if err != nil {
		return err
	}
	defer s6.Close()
	t.Show("v6 repr", func() (any, error) { return s6.Repr(), nil })
	t.Do("v6 bind 127.0.0.1", func() error { return s6.Bind(pysock.Tuple{"127.0.0.1", 0}) })
	t.Do("v6 bind 5-tuple", func() error { return s6.Bind(pysock.Tuple{"::1", 0, 0, 0, 0}) })
	t.Do("v6 bind flowinfo -1", func() error { return s6.Bind(pysock.Tuple{"::1", 0, -1}) })
	t.Do("v6 bind ::1", func() error { return s6.Bind(pysock.Tuple{"::1", 0, 0, 0}) })
	t.Show("v6 getsockname", func() (any, error) { return s6.GetSockName() })
	s6.Close()
	t.Show("socket(999)", func() (any, error) { return newSock(999, -1, -1) })
	t.Show("socket(AF_INET, 999)", func() (any, error) { return newSock(pysock.AF_INET, 999, -1) })
	return nil
}

func newSock(f pysock.AddressFamily, ty pysock.SocketKind, p int) (any, error) {
	s, err := pysock.NewSocket(f, ty, p)
	if err != nil {
		return nil, err
	}
	s.Close()
	return s.Repr(), nil
}

func none(fn func() error) func() (any, error) {
	return func() (any, error) { return nil, fn() }
}

func bytesOf(b []byte, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return pyrepr.Bytes(b), nil
}

func recvfromTuple(b []byte, a pysock.Address, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	var addr any
	if a != nil {
		addr = a.Tuple()
	}
	return pysock.Tuple{pyrepr.Bytes(b), addr}, nil
}

func acceptTuple(s *pysock.Socket, a pysock.Address, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return pysock.Tuple{s.Repr(), a.Tuple()}, nil
}
