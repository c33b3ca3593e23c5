package pysock

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// An fd adopted with SO_RCVTIMEO already set (by another library, or
// before a fork) turns the option reading on: its blocking recv then fails
// after the time as CPython's does.
func TestKernelTimeoAdopted(t *testing.T) {
	defer func(v bool) { kernelTimeouts.Store(v || kernelTimeouts.Load()) }(kernelTimeouts.Load())
	kernelTimeouts.Store(false)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	tv := unix.NsecToTimeval(int64(50 * time.Millisecond))
	if err := unix.SetsockoptTimeval(fds[0], unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		t.Fatal(err)
	}
	s, err := FromFileno(fds[0], -1, -1, -1)
	if err != nil {
		unix.Close(fds[0])
		t.Fatal(err)
	}
	defer s.Close()
	if !kernelTimeouts.Load() {
		t.Fatal("adopting an fd with SO_RCVTIMEO did not turn the option reading on")
	}
	done := make(chan error, 1)
	go func() { _, err := s.Recv(10); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, unix.EAGAIN) {
			t.Fatalf("recv = %v; want BlockingIOError(11)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("recv on an adopted fd with SO_RCVTIMEO still waits after 10 s")
	}
}

// Lib/socket.py's _sendfile_use_send retries a send that raised
// BlockingIOError: the fallback goes on past SO_SNDTIMEO too.
func TestKernelTimeoSendFileFallback(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "kt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const size = 1 << 20
	if _, err := f.Write(bytes.Repeat([]byte("z"), size)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	a, b, err := SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	tv := make([]byte, 16)
	binary.NativeEndian.PutUint64(tv[8:], 50000) // 50 ms
	if err := a.SetSockOpt(SOL_SOCKET, SO_SNDTIMEO, tv); err != nil {
		t.Fatal(err)
	}
	got := make(chan int, 1)
	go func() {
		n := 0
		for n < size {
			time.Sleep(100 * time.Millisecond) // slower than the option's time
			d, err := b.Recv(256 << 10)
			if err != nil || len(d) == 0 {
				break
			}
			n += len(d)
		}
		got <- n
	}()
	type res struct {
		n   int
		err error
	}
	done := make(chan res, 1)
	go func() { n, err := a.sendfileSend(f, 0, 0); done <- res{n, err} }()
	select {
	case r := <-done:
		if r.err != nil || r.n != size {
			t.Fatalf("sendfile fallback with SO_SNDTIMEO = %d, %v; want %d", r.n, r.err, size)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("sendfile fallback still running after 30 s")
	}
	if n := <-got; n != size {
		t.Fatalf("reader got %d", n)
	}
}
