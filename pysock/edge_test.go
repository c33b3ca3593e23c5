package pysock_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// Regression tests for reproduced defects, one per defect.
// The CPython column of each is in the comment; python3 agrees (see the
// io and peers goldens for the cases with transcripts).

// Item 1: a dup of a blocking socket, and an adopted fd whose O_NONBLOCK
// is clear, wait for data (CPython: dup.recv(10) waits and returns it).
func TestEdgeDupAndAdoptedBlockingFdWait(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	d, err := a.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ch := goCall(func() result { got, err := d.Recv(10); return result{data: got, err: err} })
	waitParked(t, "(*Socket).recvNew")
	b.Send([]byte("via dup"))
	if r := await(t, ch, "dup.Recv"); r.err != nil || string(r.data) != "via dup" {
		t.Fatalf("dup.Recv = %q, %v", r.data, r.err)
	}

	// The same fd adopted again while a Socket owns it (CPython:
	// socket(fileno=a.fileno()) is a second object on it), and a raw
	// blocking socketpair fd.
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	for _, fd := range []int{a.Fileno(), fds[0]} {
		s, err := pysock.FromFileno(fd, -1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		ch := goCall(func() result { got, err := s.Recv(10); return result{data: got, err: err} })
		waitParked(t, "(*Socket).recvNew")
		if fd == fds[0] {
			unix.Write(fds[1], []byte("adopted"))
		} else {
			b.Send([]byte("adopted"))
		}
		if r := await(t, ch, "adopted Recv"); r.err != nil || string(r.data) != "adopted" {
			t.Fatalf("FromFileno(%d).Recv = %q, %v", fd, r.data, r.err)
		}
		if fd == fds[0] {
			s.Close() // closes fds[0]
		} else {
			s.Detach() // a still owns it
		}
	}

	// accept on a dup of a blocking listener.
	srv, addr := listener(t)
	defer srv.Close()
	ld, err := srv.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer ld.Close()
	ch = goCall(func() result {
		c, _, err := ld.Accept()
		if c != nil {
			c.Close()
		}
		return result{err: err}
	})
	waitParked(t, "(*Socket).accept")
	c, err := pysock.CreateConnection(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if r := await(t, ch, "dup.Accept"); r.err != nil {
		t.Fatalf("accept on a dup: %v", r.err)
	}
}

// Item 2: a timeout-mode accept times out, and Close wakes it, after a
// sibling cleared the shared O_NONBLOCK (CPython: TimeoutError after T).
func TestEdgeTimeoutAcceptAfterSiblingClearsFlag(t *testing.T) {
	checkFDs(t)
	srv, _ := listener(t)
	defer srv.Close()
	sib, err := srv.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer sib.Close()
	srv.SetTimeout(0.2)
	sib.SetBlocking(true) // clears O_NONBLOCK on the shared description
	r := await(t, goCall(func() result { _, _, err := srv.Accept(); return result{err: err} }), "Accept")
	if !isTimeout(r.err) || r.took < 150*time.Millisecond {
		t.Fatalf("Accept = %v after %v, want TimeoutError after ≈0.2s", r.err, r.took)
	}
	srv.SetTimeout(30.0)
	sib.SetBlocking(true)
	ch := goCall(func() result { _, _, err := srv.Accept(); return result{err: err} })
	waitParked(t, "(*Socket).accept")
	srv.Close()
	if r := await(t, ch, "Accept after Close"); errnoOf(r.err) != 9 {
		t.Fatalf("Accept woken by Close = %v, want OSError 9", r.err)
	}
}

// Item 3: while one goroutine waits in Recv (or SendAll), a second
// caller's timeout, context and Go deadline run from its own start
// (CPython: the second call times out after its own T).
func TestEdgeSecondCallerKeepsItsDeadline(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	first := goCall(func() result { _, err := a.Recv(10); return result{err: err} })
	waitParked(t, "(*Socket).recvNew")

	a.SetTimeout(0.2)
	r := await(t, goCall(func() result { _, err := a.Recv(10); return result{err: err} }), "second Recv")
	if !isTimeout(r.err) || r.took < 150*time.Millisecond || r.took > 5*time.Second {
		t.Fatalf("second Recv = %v after %v, want TimeoutError after ≈0.2s", r.err, r.took)
	}
	a.SetTimeout(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	r = await(t, goCall(func() result { _, err := a.RecvContext(ctx, 10); return result{err: err} }), "RecvContext")
	if !errors.Is(r.err, context.DeadlineExceeded) {
		t.Fatalf("second RecvContext = %v, want context.DeadlineExceeded", r.err)
	}
	c := a.NetConn()
	c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	r = await(t, goCall(func() result { _, err := c.Read(make([]byte, 10)); return result{err: err} }), "Conn.Read")
	if !errors.Is(r.err, os.ErrDeadlineExceeded) {
		t.Fatalf("second Conn.Read = %v, want os.ErrDeadlineExceeded", r.err)
	}
	c.SetReadDeadline(time.Time{})
	// A non-blocking second caller does not wait at all (CPython: EAGAIN).
	a.SetBlocking(false)
	if _, err := a.Recv(10); errnoOf(err) != 11 {
		t.Fatalf("non-blocking second Recv = %v, want BlockingIOError", err)
	}
	a.SetBlocking(true)

	// The write side.
	fill(t, a)
	firstW := goCall(func() result { err := a.SendAll(make([]byte, 1<<20)); return result{err: err} })
	waitParked(t, "(*Socket).send")
	a.SetTimeout(0.2)
	r = await(t, goCall(func() result { err := a.SendAll([]byte("x")); return result{err: err} }), "second SendAll")
	if !isTimeout(r.err) || r.took < 150*time.Millisecond {
		t.Fatalf("second SendAll = %v after %v, want TimeoutError after ≈0.2s", r.err, r.took)
	}
	a.Close()
	if r := await(t, first, "first Recv"); errnoOf(r.err) != 9 {
		t.Fatalf("first Recv after Close = %v", r.err)
	}
	if r := await(t, firstW, "first SendAll"); errnoOf(r.err) != 9 {
		t.Fatalf("first SendAll after Close = %v", r.err)
	}
}

// Items 4 and 5: a blocking recv on a UDP socket shut down returns b"" at
// once; accept on UDP fails at once in blocking mode (95) and waits T in
// timeout mode (CPython polls first).
func TestEdgeUDPShutdownAndAccept(t *testing.T) {
	checkFDs(t)
	u, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	u.Bind(pysock.Tuple{"127.0.0.1", 0})
	r := await(t, goCall(func() result { _, _, err := u.Accept(); return result{err: err} }), "blocking UDP Accept")
	if errnoOf(r.err) != 95 {
		t.Fatalf("blocking accept on UDP = %v, want OSError 95", r.err)
	}
	u.SetTimeout(0.2)
	r = await(t, goCall(func() result { _, _, err := u.Accept(); return result{err: err} }), "timeout UDP Accept")
	if !isTimeout(r.err) || r.took < 150*time.Millisecond {
		t.Fatalf("timeout-mode accept on UDP = %v after %v, want TimeoutError after ≈0.2s", r.err, r.took)
	}
	u.SetTimeout(nil)
	if err := u.Connect(pysock.Tuple{"127.0.0.1", 9}); err != nil {
		t.Fatal(err)
	}
	if err := u.Shutdown(pysock.SHUT_RDWR); err != nil {
		t.Fatal(err)
	}
	for _, call := range []func() ([]byte, error){
		func() ([]byte, error) { return u.Recv(10) },
		func() ([]byte, error) { b, _, err := u.RecvFrom(10); return b, err },
		func() ([]byte, error) { m, err := u.RecvMsg(10); return m.Data, err },
	} {
		r := await(t, goCall(func() result { got, err := call(); return result{data: got, err: err} }), "recv after shutdown")
		if r.err != nil || len(r.data) != 0 {
			t.Fatalf("blocking recv after SHUT_RDWR = %q, %v, want b''", r.data, r.err)
		}
	}
}

// Item 6: Close returns at once while another goroutine is in a call that
// may sleep in the kernel: a blocking-mode SendFile to a full peer, and
// the AF_UNIX full-backlog connect (CPython: close returns at once).
func TestEdgeCloseDoesNotWaitForKernelCalls(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	f, err := os.CreateTemp(t.TempDir(), "sendfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(make([]byte, 8<<20))
	ch := goCall(func() result { n, err := a.SendFile(f); return result{n: n, err: err} })
	waitParked(t, "(*Socket).sendfileOnce")
	watchdog(t, 2*time.Second, "Close during SendFile", a.Close)
	if r := await(t, ch, "SendFile after Close"); errnoOf(r.err) != 9 {
		t.Fatalf("SendFile after Close = %d, %v, want OSError 9", r.n, r.err)
	}

	path := t.TempDir() + "/backlog"
	l, _ := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
	defer l.Close()
	if err := l.Bind(path); err != nil {
		t.Fatal(err)
	}
	l.Listen(0)
	var fillers []*pysock.Socket
	defer func() {
		for _, s := range fillers {
			s.Close()
		}
	}()
	for i := 0; i < 64; i++ {
		s, _ := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
		fillers = append(fillers, s)
		s.SetBlocking(false)
		if err := s.Connect(path); errnoOf(err) == 11 {
			break
		}
	}
	c, _ := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
	ch = goCall(func() result { return result{err: c.Connect(path)} })
	waitParked(t, "(*Socket).connect")
	watchdog(t, 2*time.Second, "Close during a full-backlog connect", c.Close)
	// Make room: the kernel's connect completes. As in CPython, where
	// close(2) does not interrupt another thread's connect(2), it may
	// report success; anything else is OSError 9.
	acc, _, err := l.Accept()
	if err == nil {
		acc.Close()
	}
	if r := await(t, ch, "Connect after Close"); r.err != nil && errnoOf(r.err) != 9 {
		t.Fatalf("Connect after Close = %v, want None or OSError 9", r.err)
	}
}

// Item 7: Read, RecvInto and Conn.Read never return a negative count
// (after a reset, on EAGAIN), so bufio works over them.
func TestEdgeReadCountNeverNegative(t *testing.T) {
	checkFDs(t)
	c, s := tcpPair(t)
	defer c.Close()
	c.SetBlocking(false)
	if n, err := c.RecvInto(make([]byte, 10)); n != 0 || errnoOf(err) != 11 {
		t.Fatalf("non-blocking RecvInto = %d, %v", n, err)
	}
	if n, err := c.Read(make([]byte, 10)); n != 0 || errnoOf(err) != 11 {
		t.Fatalf("non-blocking Read = %d, %v", n, err)
	}
	c.SetBlocking(true)
	linger0(t, s)
	s.Close() // RST
	br := bufio.NewReader(c)
	err := watchdog(t, 5*time.Second, "bufio over a reset socket", func() error { _, err := br.ReadByte(); return err })
	if errnoOf(err) != 104 {
		t.Fatalf("bufio.ReadByte after RST = %v, want ConnectionResetError", err)
	}
	if n, err := c.NetConn().Read(make([]byte, 10)); n < 0 || err == nil && n == 0 {
		t.Fatalf("Conn.Read after RST = %d, %v", n, err)
	}
}

// Item 8: Write reports the bytes it sent when a timeout cuts it short,
// so a resume loop duplicates nothing.
func TestEdgeWriteReportsPartialCount(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	a.SetTimeout(0.2)
	data := make([]byte, 64<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	n, err := a.Write(data)
	if !isTimeout(err) || n <= 0 || n >= len(data) {
		t.Fatalf("Write = %d, %v, want a partial count and TimeoutError", n, err)
	}
	b.SetBlocking(false)
	got := 0
	buf := make([]byte, 1<<20)
	for {
		m, err := b.RecvInto(buf)
		for i := 0; i < m; i++ {
			if buf[i] != data[got+i] {
				t.Fatalf("byte %d differs", got+i)
			}
		}
		got += m
		if err != nil {
			break
		}
	}
	if got != n {
		t.Fatalf("Write reported %d bytes, the peer received %d", n, got)
	}
}
