package ports

import (
	"bytes"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func init() { All["outside_flags"] = OutsideFlags }

// setFlag sets or clears O_NONBLOCK through s's number, behind the Socket.
func setFlag(s *pysock.Socket, on bool) {
	fd := uintptr(s.Fileno())
	fl, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
	if err != nil {
		return
	}
	if on {
		fl |= unix.O_NONBLOCK
	} else {
		fl &^= unix.O_NONBLOCK
	}
	unix.FcntlInt(fd, unix.F_SETFL, fl)
}

// setOpt sets SO_RCVTIMEO or SO_SNDTIMEO to T through s's number.
func setOpt(s *pysock.Socket, opt int) {
	tv := unix.NsecToTimeval(T.Nanoseconds())
	unix.SetsockoptTimeval(s.Fileno(), unix.SOL_SOCKET, opt, &tv)
}

// OutsideFlags is the twin of scenarios/outside_flags.py.
func OutsideFlags(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	setFlag(a, true)
	t.Out("mode and flag = (%s, %s, %s)", a.GetTimeout(), R(a.GetBlocking()), R(nonblockFlag(a)))
	t.Show("recv", func() (any, error) { return bytesOf(a.Recv(10)) })
	t.Show("recv_into", func() (any, error) { return a.RecvInto(make([]byte, 10)) })
	t.Show("recvfrom", func() (any, error) { return recvfromTuple(a.RecvFrom(10)) })
	t.Show("recvmsg", func() (any, error) { return msgRes(a.RecvMsg(10)) })
	t.Show("makefile('rb').read(5)", func() (any, error) {
		f, err := a.MakeFile("rb")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return bytesOrNone(f.ReadN(5))
	})
	b.Send([]byte("xy"))
	t.Show("recv(10, MSG_WAITALL) with 2 bytes", func() (any, error) { return bytesOf(a.Recv(10, pysock.MSG_WAITALL)) })
	big := bytes.Repeat([]byte("x"), 10<<20)
	t.Show("send 10 MiB: 0 < n < 10 MiB", func() (any, error) {
		n, err := a.Send(big)
		return 0 < n && n < len(big), err
	})
	t.Show("send again", func() (any, error) { return a.Send(big) })
	t.Do("sendall", func() error { return a.SendAll(big) })
	b.SetBlocking(false)
	for {
		if _, err := b.Recv(1 << 20); err != nil {
			break
		}
	}
	b.SetBlocking(true)
	t.Do("sendall with room", func() error { return a.SendAll(bytes.Repeat([]byte("z"), 10)) })
	t.Show("recv what was sent", func() (any, error) { return bytesOf(b.Recv(10)) })
	d, err := a.Dup()
	if err != nil {
		return err
	}
	t.Show("dup() clears the shared flag", func() (any, error) { return nonblockFlag(a), nil })
	d.Close()
	setFlag(a, true)
	a.SetBlocking(true)
	t.Show("setblocking(True) clears the flag", func() (any, error) { return nonblockFlag(a), nil })
	time.AfterFunc(T, func() { b.Send([]byte("w")) })
	t.Timed("then recv waits", func() (any, error) { return bytesOf(a.Recv(10)) })

	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
	if err != nil {
		return err
	}
	setFlag(srv, true)
	t.Show("listener: accept", func() (any, error) { return acceptTuple(srv.Accept()) })
	c, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	setFlag(c, true)
	addr, err := srv.GetSockName()
	if err != nil {
		return err
	}
	t.Do("connect", func() error { return c.Connect(addr) })
	t.Out("connect's mode = (%s, %s)", c.GetTimeout(), R(c.GetBlocking()))
	srv.SetBlocking(true)
	conn, _, err := srv.Accept()
	if err != nil {
		return err
	}
	t.Show("the connection was made", func() (any, error) {
		p, err := conn.GetPeerName()
		if err != nil {
			return nil, err
		}
		n, err := c.GetSockName()
		return p.Repr() == n.Repr(), err
	})
	conn.Close()
	c.Close()

	x, y, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	x.SetBlocking(false)
	setFlag(x, false)
	t.Out("non-blocking mode, flag cleared: mode and flag = (%s, %s, %s)", x.GetTimeout(), R(x.GetBlocking()), R(nonblockFlag(x)))
	time.AfterFunc(T, func() { y.Send([]byte("late")) })
	t.Timed("recv waits", func() (any, error) { return bytesOf(x.Recv(10)) })
	setOpt(x, unix.SO_RCVTIMEO)
	t.Timed("recv with SO_RCVTIMEO set through the number", func() (any, error) { return bytesOf(x.Recv(10)) })

	// sendRead shows u's send call while v reads in a goroutine, then what
	// v got. A send that returned short leaves the reader waiting: after
	// 10 T u's shutdown(SHUT_WR) ends it.
	sendRead := func(label string, u, v *pysock.Socket, call func() (any, error)) {
		got := make(chan int, 1)
		go func() {
			k := 0
			for k < len(big) {
				d, err := v.Recv(1 << 16)
				if err != nil || len(d) == 0 {
					break
				}
				k += len(d)
			}
			got <- k
		}()
		t.Show(label, call)
		t.Show("the peer got", func() (any, error) {
			select {
			case k := <-got:
				return k, nil
			case <-time.After(10 * T):
				u.Shutdown(pysock.SHUT_WR)
				return <-got, nil
			}
		})
	}
	u, v, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	u.SetBlocking(false)
	setFlag(u, false)
	sendRead("non-blocking mode, flag cleared: send 10 MiB", u, v, func() (any, error) { return u.Send(big) })
	sendRead("sendmsg 10 MiB", u, v, func() (any, error) { return u.SendMsg([][]byte{big[:4<<20], big[4<<20:]}) })
	setOpt(u, unix.SO_SNDTIMEO)
	t.Timed("send 10 MiB with SO_SNDTIMEO, nobody reading: 0 < n < 10 MiB", func() (any, error) {
		n, err := u.Send(big)
		return 0 < n && n < len(big), err
	})
	setFlag(u, true)
	v.SetBlocking(false)
	for {
		if d, err := v.Recv(1 << 20); err != nil || len(d) == 0 {
			break
		}
	}
	t.Show("flag set again: send 10 MiB: 0 < n < 10 MiB", func() (any, error) {
		n, err := u.Send(big)
		return 0 < n && n < len(big), err
	})
	u.Close()
	v.Close()
	if u, v, err = tcpPair(); err != nil {
		return err
	}
	u.SetBlocking(false)
	setFlag(u, false)
	sendRead("TCP: send 10 MiB", u, v, func() (any, error) { return u.Send(big) })
	u.Close()
	v.Close()

	p, q, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	setOpt(p, unix.SO_RCVTIMEO)
	t.Timed("blocking mode: recv with SO_RCVTIMEO set through the number", func() (any, error) { return bytesOf(p.Recv(10)) })
	setOpt(p, unix.SO_SNDTIMEO)
	t.Timed("blocking mode: send 10 MiB with SO_SNDTIMEO: 0 < n < 10 MiB", func() (any, error) {
		n, err := p.Send(big)
		return 0 < n && n < len(big), err
	})
	t.Timed("blocking mode: send again", func() (any, error) { return p.Send(big) })
	setOpt(srv, unix.SO_RCVTIMEO)
	setFlag(srv, false)
	t.Timed("blocking listener: accept with SO_RCVTIMEO", func() (any, error) { return acceptTuple(srv.Accept()) })
	for _, s := range []*pysock.Socket{a, b, x, y, p, q, srv} {
		s.Close()
	}
	return nil
}
