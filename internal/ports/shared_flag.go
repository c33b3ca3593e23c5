package ports

import (
	"bytes"
	"time"

	"github.com/pysock/pysock/pysock"
)

func init() { All["shared_flag"] = SharedFlag }

// SharedFlag is the twin of scenarios/shared_flag.py.
func SharedFlag(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	d, err := a.Dup()
	if err != nil {
		return err
	}
	d.SetBlocking(false)
	t.Show("dup non-blocking: recv", func() (any, error) { return bytesOf(a.Recv(1)) })
	t.Out("dup non-blocking: mode and flag = (%s, %s, %s)", R(a.GetBlocking()), a.GetTimeout(), R(nonblockFlag(a)))
	d.SetBlocking(true)
	time.AfterFunc(T, func() { b.Send([]byte("x")) })
	t.Timed("dup blocking again: recv waits", func() (any, error) { return bytesOf(a.Recv(1)) })
	d.SetTimeout(5)
	t.Show("dup with a timeout: recv", func() (any, error) { return bytesOf(a.Recv(1)) })
	t.Show("dup with a timeout: recv_into", func() (any, error) { return a.RecvInto(make([]byte, 1)) })
	t.Show("dup with a timeout: recvfrom", func() (any, error) { return recvfromTuple(a.RecvFrom(1)) })
	t.Show("dup with a timeout: recvmsg", func() (any, error) { return msgRes(a.RecvMsg(1)) })
	d.SetTimeout(T.Seconds())
	t.Show("dup's own recv", func() (any, error) { return bytesOf(d.Recv(1)) })
	d.Close()
	t.Show("after the dup's close: flag", func() (any, error) { return nonblockFlag(a), nil })
	t.Show("after the dup's close: recv", func() (any, error) { return bytesOf(a.Recv(1)) })
	a.SetBlocking(true)
	time.AfterFunc(T, func() { b.Send([]byte("y")) })
	t.Timed("setblocking(True) on the socket: recv waits", func() (any, error) { return bytesOf(a.Recv(1)) })

	f, err := pysock.FromFd(a.Fileno(), pysock.AF_UNIX, pysock.SOCK_STREAM)
	if err != nil {
		return err
	}
	f.SetBlocking(false)
	t.Show("fromfd non-blocking: recv", func() (any, error) { return bytesOf(a.Recv(1)) })
	f.SetBlocking(true)
	f.Close()

	s2, err := pysock.FromFileno(a.Fileno(), -1, -1, -1)
	if err != nil {
		return err
	}
	s2.SetTimeout(T.Seconds())
	t.Show("fileno= with a timeout: recv", func() (any, error) { return bytesOf(a.Recv(1)) })
	t.Show("fileno= socket's own recv", func() (any, error) { return bytesOf(s2.Recv(1)) })
	s2.SetBlocking(true)
	s2.Detach()

	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
	if err != nil {
		return err
	}
	sd, err := srv.Dup()
	if err != nil {
		return err
	}
	sd.SetBlocking(false)
	t.Show("listener's dup non-blocking: accept", func() (any, error) { return acceptTuple(srv.Accept()) })
	sd.Close()
	if d, err = a.Dup(); err != nil {
		return err
	}
	d.SetBlocking(false)
	for range 10000 {
		if _, err := d.Send(bytes.Repeat([]byte("z"), 65536)); err != nil {
			break
		}
	}
	t.Show("dup non-blocking: send to a full buffer", func() (any, error) { return a.Send(bytes.Repeat([]byte("z"), 65536)) })
	t.Do("dup non-blocking: sendall to a full buffer", func() error { return a.SendAll(bytes.Repeat([]byte("z"), 65536)) })
	d.Close()
	srv.Close()
	a.Close()
	b.Close()
	return nil
}
