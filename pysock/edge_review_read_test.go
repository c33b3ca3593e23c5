package pysock_test

import (
	"runtime"
	"syscall"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyio"
	"github.com/pysock/pysock/pysock"
)

// Regression tests for what an outside review of the receive side found
// (MSG_PEEK|MSG_WAITALL on AF_UNIX, makefile's io layers).

// Findings of review 3 (receive and accept side).

// recv(10, MSG_PEEK|MSG_WAITALL) in blocking mode on an AF_UNIX stream
// socket with 3 bytes queued: the kernel's unix_stream_read_generic stops
// peeking at the end of the queue, so CPython returns b'abc' at once (TCP
// waits for all 10). The same for recv_into, recvfrom and recvmsg.
func TestEdgeUnixPeekWaitAllReturnsQueued(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	if _, err := a.Send([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	const fl = pysock.MSG_PEEK | pysock.MSG_WAITALL
	calls := []struct {
		name string
		fn   func() ([]byte, error)
	}{
		{"recv", func() ([]byte, error) { return b.Recv(10, fl) }},
		{"recv_into", func() ([]byte, error) {
			buf := make([]byte, 10)
			n, err := b.RecvInto(buf, 0, int(fl))
			return buf[:n], err
		}},
		{"recvfrom", func() ([]byte, error) { d, _, err := b.RecvFrom(10, fl); return d, err }},
		{"recvmsg", func() ([]byte, error) { m, err := b.RecvMsg(10, 0, int(fl)); return m.Data, err }},
	}
	for _, c := range calls {
		ch := goCall(func() result {
			got, err := c.fn()
			return result{data: got, err: err}
		})
		select {
		case r := <-ch:
			if r.err != nil || string(r.data) != "abc" {
				t.Fatalf("%s(10, PEEK|WAITALL) = %q, %v; want b'abc'", c.name, r.data, r.err)
			}
		case <-time.After(2 * time.Second):
			a.Send([]byte("defghij")) // release the parked call
			r := await(t, ch, c.name)
			t.Fatalf("%s(10, PEEK|WAITALL) on AF_UNIX waited for more data (CPython returns b'abc' at once); then got %q, %v", c.name, r.data, r.err)
		}
	}
	if got, err := b.Recv(10); err != nil || string(got) != "abc" {
		t.Fatalf("recv after the peeks = %q, %v; want b'abc'", got, err)
	}
}

// etimedoutSock is a pyio.Sock whose recv_into fails with the kernel's
// ETIMEDOUT (a TCP user timeout or keepalive expiry).
type etimedoutSock struct{}

func (etimedoutSock) RecvInto([]byte) (int, error) { return 0, pyerr.FromErrno(syscall.ETIMEDOUT) }
func (etimedoutSock) Send([]byte) (int, error)     { return 0, nil }
func (etimedoutSock) Fileno() int                  { return 99 }
func (etimedoutSock) DecrefIO() error              { return nil }

// SocketIO.readinto catches socket.timeout, which in 3.11 is TimeoutError
// itself, so OSError(110) (a TimeoutError) also marks the file timed out
// (python3: the second readinto raises OSError('cannot read from timed
// out object')).
func TestEdgeSocketIOETIMEDOUTPoisons(t *testing.T) {
	f, err := pyio.NewSocketIO(etimedoutSock{}, "rb")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadInto(make([]byte, 4)); errnoOf(err) != 110 {
		t.Fatalf("first readinto = %v, want TimeoutError(110, ...)", err)
	}
	_, err = f.ReadInto(make([]byte, 4))
	if err == nil || err.Error() != "cannot read from timed out object" || !f.TimedOut() {
		t.Fatalf("second readinto = %v (timed out %v), want OSError('cannot read from timed out object')", err, f.TimedOut())
	}
}

// f.read() on a text makefile of a non-blocking socket with nothing to
// read: the buffer's read() gives None and CPython's TextIOWrapper hands
// it to the decoder, which raises TypeError (python3: utf-8 "can't concat
// NoneType to bytes", ascii and latin-1 "a bytes-like object is required,
// not 'NoneType'"); read(3) returns the empty string.
func TestEdgeTextReadAllNonBlockingNone(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	if err := b.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ enc, want string }{
		{"utf-8", "can't concat NoneType to bytes"},
		{"ascii", "a bytes-like object is required, not 'NoneType'"},
		{"latin-1", "a bytes-like object is required, not 'NoneType'"},
	} {
		for _, nl := range []any{nil, "", "\n", "\r\n"} {
			f, err := b.MakeFile("r", pysock.MakeFileOptions{Encoding: c.enc, Newline: nl})
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.ReadText()
			if !pyerr.IsInstance(err, "TypeError") || err.Error() != c.want {
				t.Errorf("%s newline=%q: read() = %q, %v; want TypeError(%q)", c.enc, nl, got, err, c.want)
			}
			if got, err := f.ReadText(3); got != "" || err != nil {
				t.Errorf("%s newline=%q: read(3) = %q, %v; want ''", c.enc, nl, got, err)
			}
			f.Close()
		}
	}
}

// readline on an unbuffered makefile (SocketIO) of a non-blocking socket
// with no complete line: IOBase.readline calls read(1), gets None, and
// raises OSError("read() should have returned a bytes object, not
// 'NoneType'"); the bytes it took are gone (python3, also for readlines).
func TestEdgeRawReadLineNoneIsOSError(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	if err := b.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	f, err := b.MakeFile("rb", pysock.MakeFileOptions{Buffering: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const want = "read() should have returned a bytes object, not 'NoneType'"
	check := func(what string, got any, err error) {
		t.Helper()
		if !pyerr.IsInstance(err, "OSError") || errnoOf(err) != -1 || err.Error() != want {
			t.Errorf("%s = %q, %v; want OSError(%q)", what, got, err, want)
		}
	}
	got, err := f.ReadLine()
	check("readline() with nothing queued", got, err)
	a.Send([]byte("ab"))
	got, err = f.ReadLine()
	check("readline() with b'ab' queued", got, err)
	if got, err := f.ReadN(5); got != nil || err != nil {
		t.Errorf("read(5) after = %q, %v; want None (b'ab' was consumed)", got, err)
	}
	a.Send([]byte("cd\nef"))
	if got, err := f.ReadLine(); string(got) != "cd\n" || err != nil {
		t.Errorf("readline() = %q, %v; want b'cd\\n'", got, err)
	}
	lines, err := f.ReadLines()
	check("readlines()", lines, err)
}

// recv(1 GiB) on a socket whose SIOCINQ fails (a listening socket here:
// EINVAL) sizes its buffer by bufsize, and in timeout mode keeps that
// buffer while it waits for the timeout (CPython: TimeoutError after the
// timeout; its malloc'd buffer is never touched). The wait holds no more
// than the scratch buffer: the call peeks before it allocates.
func TestEdgeHugeRecvWaitingHoldsNoBuffer(t *testing.T) {
	checkFDs(t)
	l, _ := listener(t)
	defer l.Close()
	if err := l.SetTimeout(1.0); err != nil {
		t.Fatal(err)
	}
	ch := goCall(func() result { _, err := l.Recv(1 << 30); return result{err: err} })
	waitParked(t, "(*Socket).recvNew")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r := await(t, ch, "Recv")
	if !isTimeout(r.err) {
		t.Errorf("recv(1 GiB) on a listener in timeout mode = %v, want TimeoutError", r.err)
	}
	if ms.HeapInuse > 256<<20 {
		t.Errorf("recv(1 GiB) waiting holds %d MiB of heap, want about the 64 KiB scratch", ms.HeapInuse>>20)
	}
}
