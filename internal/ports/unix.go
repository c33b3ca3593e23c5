package ports

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

func init() { All["unix"] = Unix }

func addrOf(a pysock.Address, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return a.Tuple(), nil
}

// Unix is the twin of scenarios/unix.py.
func Unix(t *Transcript) error {
	d, err := os.MkdirTemp("", "pysock-unix")
	if err != nil {
		return err
	}
	defer os.RemoveAll(d)
	t.RegisterSub(d, "<tmp>")
	newU := func(typ pysock.SocketKind) *pysock.Socket {
		s, err := pysock.NewSocket(pysock.AF_UNIX, typ, -1)
		if err != nil {
			panic(err)
		}
		return s
	}
	p := filepath.Join(d, "s.sock")
	s := newU(pysock.SOCK_STREAM)
	s.Bind(p)
	s.Listen()
	t.Show("listener repr", func() (any, error) { return s.Repr(), nil })
	t.Show("getsockname", func() (any, error) { return addrOf(s.GetSockName()) })
	c := newU(pysock.SOCK_STREAM)
	c.Connect(p)
	a, addr, err := s.Accept()
	if err != nil {
		return err
	}
	t.Show("accept address", func() (any, error) { return addr.Tuple(), nil })
	t.Show("accepted repr", func() (any, error) { return a.Repr(), nil })
	t.Show("client getpeername", func() (any, error) { return addrOf(c.GetPeerName()) })
	t.Show("client getsockname", func() (any, error) { return addrOf(c.GetSockName()) })
	t.Do("bind in use", func() error {
		x := newU(pysock.SOCK_STREAM)
		defer x.Close()
		return x.Bind(p)
	})
	b := newU(pysock.SOCK_STREAM)
	b.Bind([]byte(filepath.Join(d, "b.sock")))
	t.Show("bind bytes path -> str", func() (any, error) { return addrOf(b.GetSockName()) })
	ab := newU(pysock.SOCK_STREAM)
	ab.Bind("\x00pysock-abstract-scenario")
	t.Show("abstract getsockname", func() (any, error) { return addrOf(ab.GetSockName()) })
	t.Show("abstract repr", func() (any, error) { return ab.Repr(), nil })
	au := newU(pysock.SOCK_STREAM)
	au.Bind("")
	t.Show("autobind", func() (any, error) {
		n, err := au.GetSockName()
		if err != nil {
			return nil, err
		}
		v := n.Tuple()
		raw, _ := v.(pysock.Bytes)
		return pysock.Tuple{"bytes", pysock.Bytes(raw[:1]), len(raw)}, nil
	})
	t.Do("path too long", func() error {
		x := newU(pysock.SOCK_STREAM)
		defer x.Close()
		return x.Bind(strings.Repeat("x", 200))
	})
	t.Do("bind int", func() error {
		x := newU(pysock.SOCK_STREAM)
		defer x.Close()
		return x.Bind(5)
	})
	for _, x := range []*pysock.Socket{s, c, a, b, ab, au} {
		x.Close()
	}

	sp := newU(pysock.SOCK_SEQPACKET)
	sp.Bind(filepath.Join(d, "q"))
	sp.Listen()
	q := newU(pysock.SOCK_SEQPACKET)
	q.Connect(filepath.Join(d, "q"))
	qa, _, err := sp.Accept()
	if err != nil {
		return err
	}
	q.Send([]byte("one"))
	q.Send([]byte("two"))
	t.Show("seqpacket keeps boundaries", func() (any, error) { return bytesOf(qa.Recv(100)) })
	t.Show("seqpacket truncation flag", func() (any, error) {
		m, err := qa.RecvMsg(2)
		if err != nil {
			return nil, err
		}
		return pysock.Tuple{pysock.Bytes(m.Data), m.MsgFlags}, nil
	})
	t.Show("seqpacket family/type", func() (any, error) { return pysock.Tuple{qa.Family(), qa.Type()}, nil })
	for _, x := range []*pysock.Socket{sp, q, qa} {
		x.Close()
	}

	u1 := newU(pysock.SOCK_DGRAM)
	u1.Bind(filepath.Join(d, "u1"))
	u2 := newU(pysock.SOCK_DGRAM)
	u2.Bind(filepath.Join(d, "u2"))
	u2.SendTo([]byte("dg"), filepath.Join(d, "u1"))
	t.Show("unix dgram recvfrom", func() (any, error) { return recvfromTuple(u1.RecvFrom(10)) })
	u3 := newU(pysock.SOCK_DGRAM)
	u3.SendTo([]byte("anon"), filepath.Join(d, "u1"))
	t.Show("from an unbound sender", func() (any, error) { return recvfromTuple(u1.RecvFrom(10)) })
	for _, x := range []*pysock.Socket{u1, u2, u3} {
		x.Close()
	}

	privileged := func(label string, family, typ, proto int, attr func(*pysock.Socket) string) {
		r, err := pysock.NewSocket(pysock.AddressFamily(family), pysock.SocketKind(typ), proto)
		var pe *pyerr.PermissionError
		if errors.As(err, &pe) {
			t.Show(label, func() (any, error) { return "not permitted here", nil })
			return
		}
		if err != nil {
			t.Show(label, func() (any, error) { return nil, err })
			return
		}
		t.Show(label, func() (any, error) { return attr(r), nil })
		r.Close()
	}
	privileged("SOCK_RAW ICMP type", int(pysock.AF_INET), int(pysock.SOCK_RAW), pysock.IPPROTO_ICMP, func(r *pysock.Socket) string { return r.Type().Repr() })
	privileged("AF_PACKET family", int(pysock.AF_PACKET), int(pysock.SOCK_RAW), 0, func(r *pysock.Socket) string { return r.Family().Repr() })
	privileged("AF_NETLINK family", int(pysock.AF_NETLINK), int(pysock.SOCK_RAW), 0, func(r *pysock.Socket) string { return r.Family().Repr() })
	t.Show("unknown family", func() (any, error) { return pysock.NewSocket(12345, -1, -1) })
	t.Show("unknown type", func() (any, error) { return pysock.NewSocket(pysock.AF_INET, 12345, -1) })
	return nil
}
