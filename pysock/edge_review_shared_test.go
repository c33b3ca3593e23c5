package pysock_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// A dup sibling outlives the socket that exposed the description; the
// description is then reached through another number (a raw dup of the
// fileno taken earlier; recv_fds gives the same). The new socket made
// non-blocking must make the dup's blocking recv fail at once.
//
// python3:
//
//	a, b = socket.socketpair(); raw = os.dup(a.fileno()); c = a.dup(); a.close()
//	d = socket.socket(fileno=raw); d.setblocking(False); c.recv(1)
//	-> c.recv: BlockingIOError [Errno 11] Resource temporarily unavailable
func TestEdgeDupOutlivesRegistration(t *testing.T) {
	a, b := pair(t)
	defer b.Close()
	raw, err := unix.Dup(a.Fileno())
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a.Close()
	d, err := pysock.FromFileno(raw, -1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	ch := goCall(func() result {
		data, err := c.Recv(1)
		return result{data: data, err: err}
	})
	select {
	case r := <-ch:
		if errnoOf(r.err) != 11 {
			t.Fatalf("c.Recv = %q, %v; want BlockingIOError(11)", r.data, r.err)
		}
	case <-time.After(2 * time.Second):
		b.Send([]byte("x")) // let the goroutine end
		r := await(t, ch, "recv")
		t.Fatalf("c.Recv still waiting 2 s after its sibling made the description non-blocking (ended by data: %q, %v); CPython: BlockingIOError(11)", r.data, r.err)
	}
}

// Detach gives the number out, like Fileno, but does not register the
// description. A blocking sendall in progress on the detached socket
// (so FromFileno cannot reuse its handle) is then not woken by a
// shutdown made through the socket adopted from the number.
//
// python3:
//
//	s1, s2 = socket.socketpair()
//	thread: s1.sendall(b"x"*(1<<22))   # parks
//	fd = s1.detach(); s3 = socket.socket(fileno=fd); s3.shutdown(socket.SHUT_WR)
//	-> thread ends at once: OSError(9, 'Bad file descriptor')
//	   (the kernel's send woke with its part; the next one is on fd -1)
func TestEdgeDetachBusyShutdownWakes(t *testing.T) {
	a, b := pair(t)
	defer b.Close()
	ch := goCall(func() result {
		err := a.SendAll(make([]byte, 4<<20))
		return result{err: err}
	})
	waitParked(t, "pysock.(*Socket).SendAll")
	fd := a.Detach()
	s3, err := pysock.FromFileno(fd, -1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if err := s3.Shutdown(pysock.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-ch:
		if r.err == nil {
			t.Fatalf("sendall = nil; want an error (CPython: OSError(9))")
		}
		t.Logf("sendall woke: %v", r.err)
	case <-time.After(3 * time.Second):
		b.Close() // POLLHUP ends the send
		r := await(t, ch, "sendall")
		t.Fatalf("sendall still parked 3 s after shutdown(SHUT_WR) through the adopted socket (ended only by the peer's close: %v); CPython: woken at once, OSError(9)", r.err)
	}
}

// A negative SO_SNDTIMEO set through SetSockOpt ("do not wait", read back
// as 0) is recorded for sends, but a blocking-mode TCP connect still
// waits for the handshake; the kernel's connect returns EINPROGRESS at
// once.
//
// python3:
//
//	l = socket.socket(); l.bind(("127.0.0.1",0)); l.listen()
//	c = socket.socket(); c.setsockopt(SOL_SOCKET, SO_SNDTIMEO, struct.pack("ll", -1, 0))
//	c.connect(l.getsockname())
//	-> BlockingIOError(115, 'Operation now in progress')   (3 runs out of 3)
//	c.connect(l.getsockname()) -> None
func TestEdgeNegativeSndtimeoConnect(t *testing.T) {
	srv, addr := listener(t)
	defer srv.Close()
	for i := 0; i < 3; i++ {
		c, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		tv := make([]byte, 16)
		binary.NativeEndian.PutUint64(tv, uint64(0xffffffffffffffff)) // tv_sec = -1
		if err := c.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, tv); err != nil {
			t.Fatal(err)
		}
		err = watchdog(t, 5*time.Second, "connect", func() error { return c.Connect(addr) })
		if errnoOf(err) != 115 {
			t.Errorf("run %d: connect = %v; want BlockingIOError(115) (CPython)", i, err)
		}
		c.Close()
	}
}

// An AF_UNIX accepted socket does not inherit the listener's SO_RCVTIMEO
// (unix_stream_connect makes the new sock with unix_create1: default
// times), but accept copies the listener's "negative time" record, so
// the accepted socket's blocking recv fails at once where CPython's waits.
//
// python3:
//
//	l = socket.socket(AF_UNIX); l.bind(p); l.listen()
//	l.setsockopt(SOL_SOCKET, SO_RCVTIMEO, struct.pack("ll", -1, 0))
//	c = socket.socket(AF_UNIX); c.connect(p); conn, _ = l.accept()
//	conn.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16) -> 16 zero bytes
//	(c sends b"hi" 0.2 s later) conn.recv(10)    -> b'hi' after 0.2 s
func TestEdgeUnixAcceptNoInheritNegativeTimeo(t *testing.T) {
	path := t.TempDir() + "/s"
	l, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Bind(path); err != nil {
		t.Fatal(err)
	}
	if err := l.Listen(); err != nil {
		t.Fatal(err)
	}
	tv := make([]byte, 16)
	binary.NativeEndian.PutUint64(tv, uint64(0xffffffffffffffff)) // tv_sec = -1
	if err := l.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, tv); err != nil {
		t.Fatal(err)
	}
	c, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Connect(path); err != nil {
		t.Fatal(err)
	}
	conn, _, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch := goCall(func() result {
		data, err := conn.Recv(10)
		return result{data: data, err: err}
	})
	time.Sleep(200 * time.Millisecond) // CPython's recv is waiting by now
	c.Send([]byte("hi"))
	r := await(t, ch, "recv")
	if r.err != nil || string(r.data) != "hi" {
		t.Fatalf("conn.Recv = %q, %v after %v; want b'hi' after the 0.2 s wait (CPython)", r.data, r.err, r.took)
	}
}
