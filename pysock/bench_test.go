package pysock_test

import (
	"net"
	"os"
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
	b.Run("pysock-blocking", func(b *testing.B) { benchPysock(b, nil) })
	b.Run("pysock-timeout", func(b *testing.B) { benchPysock(b, 5.0) })
	b.Run("raw-unix", benchRaw)
	b.Run("go-net", benchNet)
}

func benchPysock(b *testing.B, timeout any) {
	x, y, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	defer y.Close()
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

// BenchmarkSetTimeout measures settimeout (one ioctl).
func BenchmarkSetTimeout(b *testing.B) {
	x, y, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	defer y.Close()
	b.ReportAllocs()
	for i := range b.N {
		if i&1 == 0 {
			x.SetTimeout(2.5)
		} else {
			x.SetTimeout(nil)
		}
	}
}
