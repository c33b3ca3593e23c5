package pysock_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func listener(t *testing.T) (*pysock.Socket, pysock.Address) {
	t.Helper()
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := srv.GetSockName()
	return srv, addr
}

// TestNetConnAdapters runs an echo through net.Listener / net.Conn
// adapters with io.Copy on both ends.
func TestNetConnAdapters(t *testing.T) {
	checkFDs(t)
	srv, addr := listener(t)
	ln := srv.NetListener()
	defer ln.Close()
	if ln.Addr().String() != net.JoinHostPort("127.0.0.1", itoa(addr.(pysock.InetAddr).Port)) {
		t.Errorf("Addr() = %v", ln.Addr())
	}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		io.Copy(c, c) // echo until EOF
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	payload := bytes.Repeat([]byte("pysock "), 50000)
	go func() {
		conn.Write(payload)
		conn.(*net.TCPConn).CloseWrite()
	}()
	got, err := io.ReadAll(conn)
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("echo through the adapters: %d bytes, %v", len(got), err)
	}
}

// TestNetConnDeadlines: a past deadline fails at once; a deadline set
// while Read waits wakes it; both match os.ErrDeadlineExceeded and are
// net.Error timeouts; the Python mode is left alone.
func TestNetConnDeadlines(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	a.SetTimeout(30.0)
	c := a.NetConn()
	c.SetReadDeadline(time.Now().Add(-time.Second))
	b.Send([]byte("x"))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("past deadline: %v", err)
	}
	c.SetReadDeadline(time.Time{})
	if n, err := c.Read(make([]byte, 1)); n != 1 || err != nil {
		t.Fatalf("read after clearing the deadline: %d, %v", n, err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let it park; the result holds either way
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	select {
	case err := <-done:
		var ne net.Error
		if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("deadline set while waiting: %v", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("woke too late")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SetReadDeadline did not wake the waiting Read")
	}
	if got := a.GetTimeout().String(); got != "30.0" {
		t.Errorf("Python timeout changed to %s", got)
	}
}

// TestListenerCloseWakesAccept: Close ends a waiting Accept with an error
// matching net.ErrClosed.
func TestListenerCloseWakesAccept(t *testing.T) {
	checkFDs(t)
	srv, _ := listener(t)
	ln := srv.NetListener()
	done := make(chan error, 1)
	go func() {
		_, err := ln.Accept()
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	ln.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("Accept after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake Accept")
	}
}

// TestContextCancel: cancelling wakes RecvContext promptly with
// context.Canceled, leaves the mode and the queued data alone; a context
// deadline ends AcceptContext with context.DeadlineExceeded.
func TestContextCancel(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	for _, mode := range []any{nil, 30.0} {
		a.SetTimeout(mode)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := a.RecvContext(ctx, 10)
			done <- err
		}()
		time.Sleep(20 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("mode %v: RecvContext after cancel: %v", mode, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("mode %v: cancel did not wake RecvContext", mode)
		}
		b.Send([]byte("after"))
		got, err := a.Recv(10)
		if err != nil || string(got) != "after" {
			t.Fatalf("mode %v: Recv after a cancelled RecvContext: %q, %v", mode, got, err)
		}
		fl, _ := unix.FcntlInt(uintptr(a.Fileno()), unix.F_GETFL, 0)
		if (fl&unix.O_NONBLOCK != 0) != (mode != nil) {
			t.Errorf("mode %v: kernel O_NONBLOCK is %v", mode, fl&unix.O_NONBLOCK != 0)
		}
	}
	srv, _ := listener(t)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := srv.AcceptContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("AcceptContext: %v", err)
	}
	if got, err := a.RecvContext(context.Background(), 0); err != nil || len(got) != 0 {
		t.Fatalf("RecvContext(0): %q %v", got, err)
	}
}

// TestIOInterfaces: io.Copy from a file goes through ReadFrom (sendfile),
// WriteTo drains to EOF, Read gives io.EOF.
func TestIOInterfaces(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	f, err := os.CreateTemp(t.TempDir(), "data")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	content := bytes.Repeat([]byte("0123456789"), 10000)
	f.Write(content)
	f.Seek(0, io.SeekStart)
	go func() {
		io.Copy(a, f)
		a.Close()
	}()
	var got bytes.Buffer
	if _, err := io.Copy(&got, b); err != nil || !bytes.Equal(got.Bytes(), content) {
		t.Fatalf("io.Copy: %d bytes, %v", got.Len(), err)
	}
	if n, err := b.Read(make([]byte, 4)); n != 0 || err != io.EOF {
		t.Fatalf("Read at EOF: %d, %v", n, err)
	}
}

// TestFromNetConn adopts a Go TCP connection as CPython's fromfd would.
func TestFromNetConn(t *testing.T) {
	checkFDs(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Write([]byte("from go"))
			c.Close()
		}
	}()
	gc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := pysock.FromNetConn(gc.(*net.TCPConn))
	gc.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Family() != pysock.AF_INET || s.Type() != pysock.SOCK_STREAM || !s.GetTimeout().IsNone() {
		t.Fatalf("adopted: family %v type %v timeout %v", s.Family(), s.Type(), s.GetTimeout())
	}
	s.SetTimeout(5.0)
	var all []byte
	for {
		b, err := s.Recv(100)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			break
		}
		all = append(all, b...)
	}
	if string(all) != "from go" {
		t.Fatalf("got %q", all)
	}
}

// TestPacketConn sends datagrams through the net.PacketConn adapter.
func TestPacketConn(t *testing.T) {
	checkFDs(t)
	u, _ := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	defer u.Close()
	u.Bind(pysock.Tuple{"127.0.0.1", 0})
	pc := u.NetPacketConn()
	g, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := pc.WriteTo([]byte("ping"), g.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	g.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from, err := g.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "ping" || from.String() != pc.LocalAddr().String() {
		t.Fatalf("net side got %q from %v (%v), want from %v", buf[:n], from, err, pc.LocalAddr())
	}
	g.WriteTo([]byte("pong"), from)
	pc.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, from2, err := pc.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "pong" || from2.String() != g.LocalAddr().String() {
		t.Fatalf("adapter got %q from %v (%v)", buf[:n], from2, err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
