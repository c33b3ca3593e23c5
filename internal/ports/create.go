package ports

import (
	"github.com/pysock/pysock/pysock"
)

func init() { All["create"] = Create }

func sock(s *pysock.Socket, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}

// acceptClose accepts one connection and closes it.
func acceptClose(srv *pysock.Socket) {
	if c, _, err := srv.Accept(); err == nil {
		c.Close()
	}
}

// Create is the twin of scenarios/create.py.
func Create(t *Transcript) error {
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
	if err != nil {
		return err
	}
	defer srv.Close()
	addr, err := srv.GetSockName()
	if err != nil {
		return err
	}
	t.Show("create_server repr", func() (any, error) { return srv.Repr(), nil })
	t.Show("SO_REUSEADDR", func() (any, error) { return srv.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR) })
	t.Show("listener timeout", func() (any, error) { return srv.GetTimeout(), nil })

	c, err := pysock.CreateConnection(addr)
	if err != nil {
		return err
	}
	t.Show("create_connection", func() (any, error) { return c, nil })
	conn, _, err := srv.Accept()
	if err != nil {
		return err
	}
	t.Show("client family/type/proto", func() (any, error) { return pysock.Tuple{c.Family(), c.Type(), c.Proto()}, nil })
	t.Show("client timeout", func() (any, error) { return c.GetTimeout(), nil })
	t.Show("accepted proto", func() (any, error) { return conn.Proto(), nil })
	c.SendAll([]byte("hello"))
	t.Show("server got", func() (any, error) { return bytesOf(conn.Recv(10)) })
	c.Close()
	conn.Close()

	for _, tc := range []struct {
		label string
		args  []any
	}{
		{"timeout 2.5", []any{2.5}},
		{"timeout None", []any{nil}},
	} {
		c, err := pysock.CreateConnection(addr, tc.args...)
		if err != nil {
			return err
		}
		t.Show(tc.label, func() (any, error) { return c.GetTimeout(), nil })
		acceptClose(srv)
		c.Close()
	}
	pysock.SetDefaultTimeout(4.0)
	c, err = pysock.CreateConnection(addr)
	if err != nil {
		return err
	}
	t.Show("module default 4.0", func() (any, error) { return c.GetTimeout(), nil })
	acceptClose(srv)
	c.Close()
	pysock.SetDefaultTimeout(nil)
	for _, tc := range []struct {
		label  string
		source pysock.Tuple
	}{
		{"source_address laddr host", pysock.Tuple{"127.0.0.1", 0}},
		{"source_address ''", pysock.Tuple{"", 0}},
	} {
		c, err := pysock.CreateConnection(addr, pysock.GlobalDefaultTimeout, tc.source)
		if err != nil {
			return err
		}
		t.Show(tc.label, func() (any, error) {
			a, err := c.GetSockName()
			if err != nil {
				return nil, err
			}
			return a.(pysock.InetAddr).Host, nil
		})
		acceptClose(srv)
		c.Close()
	}

	dead, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	dead.Bind(pysock.Tuple{"127.0.0.1", 0})
	deadAddr, _ := dead.GetSockName()
	dead.Close()
	deadPort := deadAddr.(pysock.InetAddr).Port
	for _, tc := range []struct {
		label   string
		address any
		args    []any
	}{
		{"create_connection refused", deadAddr, nil},
		{"create_connection refused all_errors", deadAddr, []any{pysock.AllErrors(true)}},
		{"create_connection localhost refused", pysock.Tuple{"localhost", deadPort}, nil},
		{"create_connection 'x'", "x", nil},
		{"create_connection ('127.0.0.1',)", pysock.Tuple{"127.0.0.1"}, nil},
		{"create_connection 3-tuple", pysock.Tuple{"127.0.0.1", 80, 0}, nil},
		{"create_connection 5", 5, nil},
		{"create_connection bad source", addr, []any{1.0, pysock.Tuple{"1.2.3.4", 0}}},
		{"create_connection bad port", pysock.Tuple{"127.0.0.1", "nosuchservice"}, nil},
		{"create_connection bad timeout", addr, []any{-1}},
	} {
		t.Show(tc.label, func() (any, error) { return sock(pysock.CreateConnection(tc.address, tc.args...)) })
	}

	for _, tc := range []struct {
		label   string
		address any
		opts    pysock.ServerOptions
	}{
		{"create_server in use", addr, pysock.ServerOptions{}},
		{"create_server nosuch host", pysock.Tuple{"nosuch.invalid", 0}, pysock.ServerOptions{}},
		{"create_server broadcast v6", pysock.Tuple{"<broadcast>", 0}, pysock.ServerOptions{Family: pysock.AF_INET6}},
		{"create_server 1.2.3.4", pysock.Tuple{"1.2.3.4", 0}, pysock.ServerOptions{}},
		{"create_server bad port", pysock.Tuple{"127.0.0.1", 70000}, pysock.ServerOptions{}},
		{"create_server backlog 'x'", pysock.Tuple{"127.0.0.1", 0}, pysock.ServerOptions{Backlog: "x"}},
		{"create_server dualstack AF_INET", pysock.Tuple{"", 0}, pysock.ServerOptions{DualstackIPv6: true}},
	} {
		t.Show(tc.label, func() (any, error) { return sock(pysock.CreateServer(tc.address, tc.opts)) })
	}
	t.Show("has_dualstack_ipv6", func() (any, error) { return pysock.HasDualstackIPv6(), nil })
	s6, err := pysock.CreateServer(pysock.Tuple{"::", 0}, pysock.ServerOptions{Family: pysock.AF_INET6, DualstackIPv6: true})
	if err != nil {
		return err
	}
	t.Show("dualstack V6ONLY", func() (any, error) { return s6.GetSockOpt(pysock.IPPROTO_IPV6, pysock.IPV6_V6ONLY) })
	a6addr, _ := s6.GetSockName()
	c4, err := pysock.CreateConnection(pysock.Tuple{"127.0.0.1", a6addr.(pysock.Inet6Addr).Port})
	if err != nil {
		return err
	}
	a6, peer, err := s6.Accept()
	if err != nil {
		return err
	}
	t.Show("dualstack IPv4 peer", func() (any, error) { return peer.Tuple(), nil })
	for _, s := range []*pysock.Socket{c4, a6, s6} {
		s.Close()
	}
	s6, err = pysock.CreateServer(pysock.Tuple{"::1", 0}, pysock.ServerOptions{Family: pysock.AF_INET6, Backlog: 5, ReusePort: true})
	if err != nil {
		return err
	}
	t.Show("v6 V6ONLY", func() (any, error) { return s6.GetSockOpt(pysock.IPPROTO_IPV6, pysock.IPV6_V6ONLY) })
	t.Show("v6 SO_REUSEPORT", func() (any, error) { return s6.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEPORT) })
	t.Show("v6 repr", func() (any, error) { return s6.Repr(), nil })
	s6.Close()

	f, err := pysock.FromFd(srv.Fileno(), pysock.AF_INET, pysock.SOCK_STREAM)
	if err != nil {
		return err
	}
	t.Show("fromfd repr", func() (any, error) { return f.Repr(), nil })
	t.Show("fromfd is a dup", func() (any, error) { return f.Fileno() != srv.Fileno(), nil })
	t.Show("fromfd inheritable", func() (any, error) { return f.GetInheritable() })
	f.Close()
	t.Show("fromfd(-1)", func() (any, error) { return sock(pysock.FromFd(-1, pysock.AF_INET, pysock.SOCK_STREAM)) })
	t.Show("socket(2**31, 1, 0)", func() (any, error) { return sock(pysock.NewSocket(1<<31, 1, 0)) })
	t.Show("socket(2, 2**31, 0)", func() (any, error) { return sock(pysock.NewSocket(2, 1<<31, 0)) })
	t.Show("socket(2, 1, -2**31-1)", func() (any, error) { return sock(pysock.NewSocket(2, 1, -1<<31-1)) })
	t.Show("socket(2, 1, 0, 2**31)", func() (any, error) { return sock(pysock.FromFileno(1<<31, 2, 1, 0)) })
	t.Show("socket(2, 1, 0, -2**31-1)", func() (any, error) { return sock(pysock.FromFileno(-1<<31-1, 2, 1, 0)) })
	t.Show("socket(2, 1, 0, 2**32+srv.fileno())", func() (any, error) {
		s, err := pysock.FromFileno(1<<32+srv.Fileno(), 2, 1, 0)
		if err != nil {
			return nil, err
		}
		return s.Detach() == srv.Fileno(), nil
	})
	pair := func(a, b *pysock.Socket, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		a.Close()
		b.Close()
		return "a pair", nil
	}
	t.Show("socketpair(2**31)", func() (any, error) { return pair(pysock.SocketPair(1<<31, -1, -1)) })
	t.Show("socketpair(AF_UNIX, 2**31)", func() (any, error) { return pair(pysock.SocketPair(pysock.AF_UNIX, 1<<31, -1)) })
	t.Show("socketpair(AF_UNIX, 1, -2**31-1)", func() (any, error) { return pair(pysock.SocketPair(pysock.AF_UNIX, 1, -1<<31-1)) })
	return nil
}
