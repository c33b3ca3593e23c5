package pysock_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// SO_RCVTIMEO and SO_SNDTIMEO in blocking mode, beyond what the
// kerneltimeo compat scenario shows against CPython: the calls it has no
// Python twin for (the context variants, net.Conn), sendfile, and Close.

// setKernelTimeo sets s's SO_RCVTIMEO or SO_SNDTIMEO to d.
func setKernelTimeo(t *testing.T, s *pysock.Socket, opt int, d time.Duration) {
	t.Helper()
	tv := make([]byte, 16)
	binary.NativeEndian.PutUint64(tv, uint64(d/time.Second))
	binary.NativeEndian.PutUint64(tv[8:], uint64(d%time.Second/time.Microsecond))
	if err := s.SetSockOpt(pysock.SOL_SOCKET, opt, tv); err != nil {
		t.Fatal(err)
	}
}

func isEAGAIN(err error) bool {
	var be *pyerr.BlockingIOError
	return errors.As(err, &be) && be.Errno == int(syscall.EAGAIN)
}

// A blocking-mode sendfile goes on past SO_SNDTIMEO, as Lib/socket.py's
// (python3: 50 ms option, a reader taking 256 KiB every 100 ms: sendfile of
// 2 MiB returns 2097152 after 0.7 s). The fallback's send loop has an
// internal test.
func TestKernelTimeoSendFileGoesOn(t *testing.T) {
	checkFDs(t)
	f, err := os.CreateTemp(t.TempDir(), "kt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const size = 2 << 20
	if _, err := f.Write(bytes.Repeat([]byte("z"), size)); err != nil {
		t.Fatal(err)
	}
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	setKernelTimeo(t, a, pysock.SO_SNDTIMEO, 50*time.Millisecond)
	drained := goCall(func() result {
		got := 0
		for got < size {
			time.Sleep(100 * time.Millisecond) // slower than the option's time
			d, err := b.Recv(256 << 10)
			if err != nil || len(d) == 0 {
				return result{n: got, err: err}
			}
			got += len(d)
		}
		return result{n: got}
	})
	r := watchdog(t, 30*time.Second, "sendfile", func() result {
		n, err := a.SendFile(f, 0)
		return result{n: n, err: err}
	})
	if r.err != nil || r.n != size {
		t.Fatalf("sendfile with SO_SNDTIMEO = %d, %v; want %d (CPython waits for room and goes on)", r.n, r.err, size)
	}
	if d := await(t, drained, "reader"); d.n != size {
		t.Fatalf("reader got %d, %v", d.n, d.err)
	}
}

// The context variants are their plain twins in blocking mode: the
// option's time ends them with BlockingIOError too, and a cancel still
// ends them first.
func TestKernelTimeoContextCalls(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	setKernelTimeo(t, a, pysock.SO_RCVTIMEO, 50*time.Millisecond)
	r := watchdog(t, 10*time.Second, "RecvContext", func() result {
		d, err := a.RecvContext(context.Background(), 10)
		return result{data: d, err: err}
	})
	if !isEAGAIN(r.err) {
		t.Fatalf("RecvContext = %q, %v; want BlockingIOError(11)", r.data, r.err)
	}
	setKernelTimeo(t, a, pysock.SO_RCVTIMEO, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	ch := goCall(func() result {
		d, err := a.RecvContext(ctx, 10)
		return result{data: d, err: err}
	})
	waitParked(t, "RecvContext")
	cancel()
	if r := await(t, ch, "cancelled RecvContext"); r.err != context.Canceled {
		t.Fatalf("cancelled RecvContext = %q, %v; want context.Canceled", r.data, r.err)
	}
}

// A net.Conn keeps Go's rules: its Read waits for its own deadline, not
// the option's time (Go's net.Conn never sees SO_RCVTIMEO: its fds are
// non-blocking).
func TestKernelTimeoNetConnIgnores(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	setKernelTimeo(t, a, pysock.SO_RCVTIMEO, 20*time.Millisecond)
	c := a.NetConn()
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	start := time.Now()
	r := watchdog(t, 10*time.Second, "Conn.Read", func() result {
		n, err := c.Read(make([]byte, 10))
		return result{n: n, err: err, took: time.Since(start)}
	})
	if !errors.Is(r.err, os.ErrDeadlineExceeded) || r.took < 250*time.Millisecond {
		t.Fatalf("Conn.Read = %v after %v; want the Go deadline's timeout after 300 ms", r.err, r.took)
	}
}

// Close ends a call waiting with the option's deadline as it ends any
// blocking call: OSError(9), not BlockingIOError.
func TestKernelTimeoClose(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	setKernelTimeo(t, a, pysock.SO_RCVTIMEO, time.Hour)
	ch := goCall(func() result {
		d, err := a.Recv(10)
		return result{data: d, err: err}
	})
	waitParked(t, "Recv")
	a.Close()
	if r := await(t, ch, "recv after Close"); errnoOf(r.err) != int(syscall.EBADF) {
		t.Fatalf("recv closed while waiting = %q, %v; want OSError(9)", r.data, r.err)
	}
}
