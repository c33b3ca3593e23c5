package ports

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"

	"github.com/pysock/pysock/pysock"
)

func init() { All["peers"] = Peers }

func tcpPair() (c, s *pysock.Socket, err error) {
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
	if err != nil {
		return nil, nil, err
	}
	defer srv.Close()
	addr, _ := srv.GetSockName()
	if c, err = pysock.CreateConnection(addr); err != nil {
		return nil, nil, err
	}
	if s, _, err = srv.Accept(); err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, s, nil
}

// unixPathPair is a connected AF_UNIX pair of the kind given, made as
// Python makes one through a path: a listening socket bound in a temporary
// directory, a connect to it, the accepted end.
func unixPathPair(kind pysock.SocketKind) (c, s *pysock.Socket, err error) {
	dir, err := os.MkdirTemp("", "pysock-pair")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s")
	srv, err := pysock.NewSocket(pysock.AF_UNIX, kind, 0)
	if err != nil {
		return nil, nil, err
	}
	defer srv.Close()
	if err = srv.Bind(path); err != nil {
		return nil, nil, err
	}
	if err = srv.Listen(); err != nil {
		return nil, nil, err
	}
	if c, err = pysock.NewSocket(pysock.AF_UNIX, kind, 0); err != nil {
		return nil, nil, err
	}
	if err = c.Connect(path); err != nil {
		c.Close()
		return nil, nil, err
	}
	if s, _, err = srv.Accept(); err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, s, nil
}

// Peers is the twin of scenarios/peers.py.
func Peers(t *Transcript) error {
	c, s, err := tcpPair()
	if err != nil {
		return err
	}
	c.SendAll([]byte("unread"))
	linger := make([]byte, 8) // struct.pack("ii", 1, 0)
	binary.NativeEndian.PutUint32(linger, 1)
	s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_LINGER, linger)
	s.Close()
	t.Show("recv after RST", func() (any, error) { return bytesOf(c.Recv(10)) })
	t.Show("recv again", func() (any, error) { return bytesOf(c.Recv(10)) })
	t.Show("send after RST", func() (any, error) { return c.Send([]byte("x")) })
	t.Show("getpeername after RST", func() (any, error) { return c.GetPeerName() })
	c.Close()

	if c, s, err = tcpPair(); err != nil {
		return err
	}
	s.Close()
	t.Show("first send to closed peer", func() (any, error) { return c.Send([]byte("hello")) })
	t.Show("recv (RST came back)", func() (any, error) { return bytesOf(c.Recv(10)) })
	t.Show("send again", func() (any, error) { return c.Send([]byte("x")) })
	t.Do("sendall", func() error { return c.SendAll(bytes.Repeat([]byte("x"), 100)) })
	c.Close()

	if c, s, err = tcpPair(); err != nil {
		return err
	}
	c.SendAll([]byte("question"))
	c.Shutdown(pysock.SHUT_WR)
	t.Show("peer reads", func() (any, error) { return bytesOf(s.Recv(100)) })
	t.Show("peer reads EOF", func() (any, error) { return bytesOf(s.Recv(100)) })
	s.SendAll([]byte("answer"))
	t.Show("answer after half-close", func() (any, error) { return bytesOf(c.Recv(100)) })
	t.Show("send after SHUT_WR", func() (any, error) { return c.Send([]byte("x")) })
	s.Close()
	t.Show("EOF", func() (any, error) { return bytesOf(c.Recv(100)) })
	c.Close()

	if c, s, err = tcpPair(); err != nil {
		return err
	}
	c.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDBUF, 4096)
	s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVBUF, 4096)
	c.SetTimeout(0.3)
	big := make([]byte, 16<<20)
	for i := range big {
		big[i] = 'x'
	}
	t.TimedDo("sendall 16 MiB to a stalled peer", func() error { return c.SendAll(big) })
	c.SetBlocking(false)
	t.Show("nonblocking send to the stalled peer", func() (any, error) { return c.Send(big[:1<<20]) })
	c.Close()
	s.Close()
	return nil
}
