package ports

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

func init() { All["kerneltimeo"] = KernelTimeo }

// timeval is struct.pack("ll", 0, us).
func timeval(us int64) []byte {
	b := make([]byte, 16)
	binary.NativeEndian.PutUint64(b[8:], uint64(us))
	return b
}

// KernelTimeo is the twin of scenarios/kerneltimeo.py.
func KernelTimeo(t *Transcript) error {
	tv, none := timeval(T.Microseconds()), timeval(0)
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	a.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, tv)
	t.Show("getsockopt SO_RCVTIMEO", func() (any, error) {
		v, err := a.GetSockOptBytes(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, 16)
		return bytes.Equal(v, tv), err
	})
	t.Out("mode = (%s, %s)", a.GetTimeout(), R(a.GetBlocking()))
	t.Timed("recv", func() (any, error) { return bytesOf(a.Recv(10)) })
	t.Timed("recv_into", func() (any, error) { return a.RecvInto(make([]byte, 10)) })
	t.Timed("recvmsg", func() (any, error) { return a.RecvMsg(10) })
	b.Send([]byte("xy"))
	t.Timed("recv(10, MSG_WAITALL) with 2 bytes", func() (any, error) { return bytesOf(a.Recv(10, pysock.MSG_WAITALL)) })
	t.Timed("makefile('rb').read(5)", func() (any, error) {
		f, err := a.MakeFile("rb")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return bytesOrNone(f.ReadN(5))
	})
	t.Timed("makefile('rb', 0).read(5)", func() (any, error) {
		f, err := a.MakeFile("rb", pysock.MakeFileOptions{Buffering: 0})
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return bytesOrNone(f.ReadN(5))
	})
	time.AfterFunc(T/3, func() { b.Send([]byte("late")) })
	t.Timed("recv, data before the time", func() (any, error) { return bytesOf(a.Recv(10)) })

	// Two goroutines in recv on one socket: each has its own time.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var results []string
	for range 2 {
		wg.Go(func() {
			start := time.Now()
			_, err := a.Recv(10)
			r := "(" + R(className(err)) + ", " + R(time.Since(start) < T*19/10) + ")"
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(results)
	t.Out("two threads in recv = [%s, %s]", results[0], results[1])

	a.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, tv)
	big := bytes.Repeat([]byte("x"), 10<<20)
	t.Timed("send 10 MiB to a peer that does not read: 0 < n < 10 MiB", func() (any, error) {
		n, err := a.Send(big)
		return 0 < n && n < len(big), err
	})
	t.Timed("send again", func() (any, error) { return a.Send(big) })
	t.TimedDo("sendall", func() error { return a.SendAll(big) })
	b.SetBlocking(false)
	for {
		if _, err := b.Recv(1 << 20); err != nil {
			break
		}
	}
	b.SetBlocking(true)
	data := bytes.Repeat([]byte("y"), 1<<20)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		for got := 0; got < len(data); {
			time.Sleep(T / 6)
			d, err := b.Recv(64 << 10)
			if err != nil || len(d) == 0 {
				return
			}
			got += len(d)
		}
	}()
	t.Do("sendall to a slow reader (progress within each T)", func() error { return a.SendAll(data) })
	<-drained
	a.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, none)
	a.SetTimeout(T)
	a.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, timeval(T.Microseconds()/10))
	t.Timed("timeout mode ignores SO_RCVTIMEO", func() (any, error) { return bytesOf(a.Recv(10)) })
	a.Close()
	b.Close()

	u, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		return err
	}
	u.Bind(pysock.Tuple{"127.0.0.1", 0})
	u.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, tv)
	t.Timed("udp recvfrom", func() (any, error) { return recvfromTuple(u.RecvFrom(10)) })
	u.Close()

	srv, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	srv.Bind(pysock.Tuple{"127.0.0.1", 0})
	srv.Listen(0)
	srv.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, tv)
	addr, _ := srv.GetSockName()
	t.Timed("accept", func() (any, error) { return acceptTuple(srv.Accept()) })
	c, err := pysock.CreateConnection(addr)
	if err != nil {
		return err
	}
	s, _, err := srv.Accept()
	if err != nil {
		return err
	}
	t.Show("accepted socket's SO_RCVTIMEO", func() (any, error) {
		v, err := s.GetSockOptBytes(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, 16)
		return bytes.Equal(v, tv), err
	})
	t.Timed("accepted socket's recv", func() (any, error) { return bytesOf(s.Recv(10)) })
	c.Close()
	s.Close()

	// connect to a listener whose queue is full: the SYN goes unanswered.
	var pending []*pysock.Socket
	for range 3 {
		p, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
		if err != nil {
			return err
		}
		p.SetBlocking(false)
		p.Connect(addr)
		pending = append(pending, p)
	}
	time.Sleep(T / 3)
	if c, err = pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0); err != nil {
		return err
	}
	c.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, tv)
	t.TimedDo("connect", func() error { return c.Connect(addr) })
	t.TimedDo("connect again", func() error { return c.Connect(addr) })
	t.Timed("connect_ex", func() (any, error) { return c.ConnectEx(addr) })
	c.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, none)
	for _, p := range pending {
		p.Close()
	}
	// Accepting the queued connection makes room: c's next SYN gets in.
	accepted := make(chan struct{})
	time.AfterFunc(T, func() {
		defer close(accepted)
		if q, _, err := srv.Accept(); err == nil {
			q.Close()
		}
	})
	t.Do("blocking connect waits for the connection in progress", func() error { return c.Connect(addr) })
	t.Show("getpeername", func() (any, error) {
		p, err := c.GetPeerName()
		return R(p) == R(addr), err
	})
	<-accepted
	c.Close()
	srv.Close()

	// A negative time: the kernel keeps "do not wait", and getsockopt says 0.
	if srv, err = pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		return err
	}
	neg := func(sec int64) []byte {
		b := make([]byte, 16)
		binary.NativeEndian.PutUint64(b, uint64(sec))
		return b
	}
	srv.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, neg(-1))
	srv.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, neg(-5))
	addr, _ = srv.GetSockName()
	t.Show("negative SO_RCVTIMEO reads as 0", func() (any, error) {
		v, err := srv.GetSockOptBytes(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, 16)
		return bytes.Equal(v, none), err
	})
	t.Timed("accept with a negative SO_RCVTIMEO", func() (any, error) { return acceptTuple(srv.Accept()) })
	if c, err = pysock.CreateConnection(addr); err != nil {
		return err
	}
	if s, _, err = srv.Accept(); err != nil {
		return err
	}
	t.Timed("inherited: recv", func() (any, error) { return bytesOf(s.Recv(1)) })
	t.Timed("inherited: send until the buffer is full", func() (any, error) {
		n := 0
		for range 100000 {
			k, err := s.Send(bytes.Repeat([]byte("x"), 65536))
			if err != nil {
				var be *pyerr.BlockingIOError
				if !errors.As(err, &be) {
					return nil, err
				}
				return pysock.Tuple{n > 0, be.Errno}, nil
			}
			n += k
		}
		return nil, nil
	})
	srv.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, none)
	time.AfterFunc(T, func() {
		if q, err := pysock.CreateConnection(addr); err == nil {
			q.Close()
		}
	})
	t.TimedDo("accept waits again once the time is 0", func() error {
		q, _, err := srv.Accept()
		if err == nil {
			q.Close()
		}
		return err
	})
	c.Close()
	s.Close()
	srv.Close()

	// A time too large for nanoseconds in 64 bits: no limit in practice.
	if a, b, err = pysock.SocketPair(-1, -1, -1); err != nil {
		return err
	}
	huge := make([]byte, 16)
	binary.NativeEndian.PutUint64(huge, 1759579576958933)
	a.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, huge)
	time.AfterFunc(T, func() { b.Send([]byte("hi")) })
	t.Timed("recv with a huge SO_RCVTIMEO", func() (any, error) { return bytesOf(a.Recv(10)) })
	a.Close()
	b.Close()

	dir, err := os.MkdirTemp("", "pysock-kt")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "s")
	us, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	us.Bind(path)
	us.Listen(0)
	pending = pending[:0]
	for range 2 {
		p, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
		if err != nil {
			return err
		}
		p.SetBlocking(false)
		p.Connect(path)
		pending = append(pending, p)
	}
	if c, err = pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0); err != nil {
		return err
	}
	c.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, tv)
	t.TimedDo("unix connect to a full queue", func() error { return c.Connect(path) })
	c.Close()
	for _, p := range pending {
		p.Close()
	}
	us.Close()
	return nil
}

// className is the exception class name of err (type(e).__name__).
func className(err error) string {
	var pe pyerr.PyException
	if errors.As(err, &pe) {
		return pe.ClassName()
	}
	return "None"
}
