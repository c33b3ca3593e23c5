package pysock_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// Ping-pong of 64 B over one AF_UNIX stream socketpair: an echo goroutine
// on one end, the benchmark loop (send, recv_into) on the other. The same
// workload runs through pysock in each mode, raw x/sys/unix blocking fds,
// and Go's net, so their ratios come from one run:
//
//	go test -run '^$' -bench PingPong -benchmem ./pysock/
func BenchmarkPingPong(b *testing.B) {
	b.Run("pysock-blocking", func(b *testing.B) { benchPysock(b, nil, false) })
	b.Run("pysock-timeout", func(b *testing.B) { benchPysock(b, 5.0, false) })
	// Fileno called: a call that would wait reads the kernel's flag and
	// options first (outside_linux.go).
	b.Run("pysock-blocking-fileno", func(b *testing.B) { benchPysock(b, nil, true) })
	b.Run("raw-unix", benchRaw)
	b.Run("go-net", benchNet)
}

func benchPysock(b *testing.B, timeout any, fileno bool) {
	x, y, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	defer y.Close()
	if fileno {
		x.Fileno()
		y.Fileno()
	}
	x.SetTimeout(timeout)
	y.SetTimeout(timeout)
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := y.RecvInto(buf)
			if err != nil || n == 0 {
				return
			}
			if err := y.SendAll(buf[:n]); err != nil {
				return
			}
		}
	}()
	msg, buf := make([]byte, 64), make([]byte, 64)
	b.ReportAllocs()
	b.SetBytes(64)
	b.ResetTimer()
	for range b.N {
		if _, err := x.Send(msg); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < 64; {
			n, err := x.RecvInto(buf[got:])
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
}

func benchRaw(b *testing.B) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := unix.Read(fds[1], buf)
			if err != nil || n == 0 {
				return
			}
			if _, err := unix.Write(fds[1], buf[:n]); err != nil {
				return
			}
		}
	}()
	msg, buf := make([]byte, 64), make([]byte, 64)
	b.ReportAllocs()
	b.SetBytes(64)
	b.ResetTimer()
	for range b.N {
		if _, err := unix.Write(fds[0], msg); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < 64; {
			n, err := unix.Read(fds[0], buf[got:])
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
	b.StopTimer()
	unix.Shutdown(fds[0], unix.SHUT_RDWR)
}

func benchNet(b *testing.B) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		b.Fatal(err)
	}
	conn := func(fd int) net.Conn {
		f := os.NewFile(uintptr(fd), "")
		defer f.Close()
		c, err := net.FileConn(f)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	x, y := conn(fds[0]), conn(fds[1])
	defer x.Close()
	defer y.Close()
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := y.Read(buf)
			if err != nil {
				return
			}
			if _, err := y.Write(buf[:n]); err != nil {
				return
			}
		}
	}()
	msg, buf := make([]byte, 64), make([]byte, 64)
	b.ReportAllocs()
	b.SetBytes(64)
	b.ResetTimer()
	for range b.N {
		if _, err := x.Write(msg); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < 64; {
			n, err := x.Read(buf[got:])
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
}

// BenchmarkSetTimeout measures settimeout: no syscall while the socket's
// number has not been given out, one ioctl once it has (given-out).
func BenchmarkSetTimeout(b *testing.B) {
	for _, out := range []bool{false, true} {
		b.Run(map[bool]string{false: "own", true: "given-out"}[out], func(b *testing.B) {
			x, y, err := pysock.SocketPair(-1, -1, -1)
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close()
			defer y.Close()
			if out {
				x.Fileno()
			}
			b.ReportAllocs()
			for i := range b.N {
				if i&1 == 0 {
					x.SetTimeout(2.5)
				} else {
					x.SetTimeout(nil)
				}
			}
		})
	}
}

// BenchmarkConnectAccept measures a blocking-mode connection's life, W4's
// calls at both ends in one goroutine: connect, accept, close both, on
// AF_UNIX (no ports or TIME_WAIT to run out of).
//
//	go test -run '^$' -bench ConnectAccept -benchmem ./pysock/
func BenchmarkConnectAccept(b *testing.B) {
	path := filepath.Join(b.TempDir(), "s")
	l, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	if err := l.Bind(path); err != nil {
		b.Fatal(err)
	}
	if err := l.Listen(128); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for range b.N {
		c, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Connect(path); err != nil {
			b.Fatal(err)
		}
		s, _, err := l.Accept()
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
		s.Close()
	}
}

// Bulk echo over TCP loopback: a server goroutine echoes 64 KiB reads
// (pysock RecvInto/SendAll, or Go net), a Go net client writes and reads
// back b.N × 64 KiB.
//
//	go test -run '^$' -bench Bulk -benchmem ./pysock/
func BenchmarkBulk(b *testing.B) {
	b.Run("pysock-blocking", func(b *testing.B) {
		srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
		if err != nil {
			b.Fatal(err)
		}
		defer srv.Close()
		addr, _ := srv.GetSockName()
		go func() {
			c, _, err := srv.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := c.RecvInto(buf)
				if err != nil || n == 0 {
					return
				}
				if c.SendAll(buf[:n]) != nil {
					return
				}
			}
		}()
		benchBulkClient(b, addr.String())
	})
	b.Run("go-net", func(b *testing.B) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		defer ln.Close()
		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if _, err := c.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
		benchBulkClient(b, ln.Addr().String())
	})
}

func benchBulkClient(b *testing.B, addr string) {
	addr = strings.NewReplacer("(", "", ")", "", "'", "", ", ", ":").Replace(addr)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	chunk := make([]byte, 64<<10)
	b.SetBytes(int64(len(chunk)))
	b.ResetTimer()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for got, want := 0, b.N*len(chunk); got < want; {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			got += n
		}
	}()
	for range b.N {
		if _, err := c.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	<-done
}
