package pysock

import (
	"errors"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// SO_RCVTIMEO and SO_SNDTIMEO set through the number (x/sys/unix on
// Fileno, or another process), while no option was ever set through
// pysock: the calls read them where they would wait, and give what the
// kernel's timed calls give (BlockingIOError after the time, a stream
// send's part).
func TestOutsideTimeoWithoutPysock(t *testing.T) {
	defer func(v bool) { kernelTimeouts.Store(v || kernelTimeouts.Load()) }(kernelTimeouts.Load())
	kernelTimeouts.Store(false)
	a, b, err := SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	const wait = 100 * time.Millisecond
	tv := unix.NsecToTimeval(int64(wait))
	for _, opt := range []int{unix.SO_RCVTIMEO, unix.SO_SNDTIMEO} {
		if err := unix.SetsockoptTimeval(a.Fileno(), unix.SOL_SOCKET, opt, &tv); err != nil {
			t.Fatal(err)
		}
	}
	call := func(what string, fn func() error) error {
		t.Helper()
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- fn() }()
		select {
		case err := <-done:
			if took := time.Since(start); took < wait*9/10 {
				t.Errorf("%s returned after %v, before the option's %v", what, took, wait)
			}
			return err
		case <-time.After(10 * time.Second):
			b.Close() // ends the call
			<-done
			t.Fatalf("%s: still waiting after 10 s; SO_*TIMEO set through the number was not seen", what)
			return nil
		}
	}
	err = call("recv", func() error { _, err := a.Recv(10); return err })
	var oe *pyerr.OSError
	if !errors.As(err, &oe) || oe.Errno != int(unix.EAGAIN) {
		t.Errorf("recv = %v, want BlockingIOError(11)", err)
	}
	big := make([]byte, 10<<20)
	var n int
	err = call("send", func() (err error) { n, err = a.Send(big); return err })
	if err != nil || n <= 0 || n >= len(big) {
		t.Errorf("send = %d, %v; want a part of the data", n, err)
	}
	if kernelTimeouts.Load() {
		t.Error("the calls turned the per-call option reading on; they should read the option only where they wait")
	}
}

// select and selectors read a *Socket's number without giving it out: the
// socket's calls keep the path that reads nothing.
func TestOutsideSelectorsKeepNumberPrivate(t *testing.T) {
	a, b, err := SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	sel, err := DefaultSelector()
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	if _, err := sel.Register(a, EVENT_READ, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Select([]any{a}, nil, nil, 0); err != nil {
		t.Fatal(err)
	}
	h := a.h.Load()
	if h.desc.out.Load() {
		t.Fatal("Register or Select gave the socket's number out")
	}
	a.Fileno()
	if !h.desc.out.Load() {
		t.Fatal("Fileno did not give the number out")
	}
}

// makefile reads the socket's number only when the file is asked for it
// (fileno(), name, a repr): a file alone leaves its socket's calls on the
// path that reads nothing. (It gave the number out at creation, so every
// receive of a makefile socket, socketserver's stream handlers' among
// them, read the kernel's flag and options when it had to wait.)
func TestOutsideMakeFileKeepsNumberPrivate(t *testing.T) {
	a, b, err := SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	defer b.Close()
	f, err := b.MakeFile("rwb")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := a.Send([]byte("x\n")); err != nil {
		t.Fatal(err)
	}
	if line, err := f.ReadLine(); err != nil || string(line) != "x\n" {
		t.Fatalf("readline = %q, %v", line, err)
	}
	h := b.h.Load()
	if h.desc.out.Load() {
		t.Fatal("makefile gave the socket's number out")
	}
	if _, err := f.Fileno(); err == nil {
		t.Fatal("a BufferedRWPair has a fileno") // UnsupportedOperation, as in CPython
	}
	r, err := b.MakeFile("rb")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.Fileno(); err != nil || n != h.fd || !h.desc.out.Load() {
		t.Fatalf("fileno() = %d, %v, given out %v; want %d, given out", n, err, h.desc.out.Load(), h.fd)
	}
}

// A blocking connect whose SYN goes unanswered (the listener's accept
// queue is full, so the kernel drops it) with SO_SNDTIMEO set through the
// number: BlockingIOError(115) after the time, as the kernel's connect
// gives, while the connection goes on.
func TestOutsideSndtimeoConnect(t *testing.T) {
	defer func(v bool) { kernelTimeouts.Store(v || kernelTimeouts.Load()) }(kernelTimeouts.Load())
	kernelTimeouts.Store(false)
	l, err := NewSocket(AF_INET, SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Bind(Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	if err := l.Listen(0); err != nil {
		t.Fatal(err)
	}
	addr, err := l.GetSockName()
	if err != nil {
		t.Fatal(err)
	}
	fill, err := NewSocket(AF_INET, SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fill.Close()
	fill.SetTimeout(5)
	if err := fill.Connect(addr); err != nil { // fills the accept queue of one
		t.Fatal(err)
	}
	c, err := NewSocket(AF_INET, SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const wait = 200 * time.Millisecond
	tv := unix.NsecToTimeval(int64(wait))
	if err := unix.SetsockoptTimeval(c.Fileno(), unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- c.Connect(addr) }()
	select {
	case err := <-done:
		var oe *pyerr.OSError
		if !errors.As(err, &oe) || oe.Errno != int(unix.EINPROGRESS) {
			t.Fatalf("connect = %v, want BlockingIOError(115)", err)
		}
		if took := time.Since(start); took < wait*9/10 {
			t.Fatalf("connect returned after %v, before the option's %v", took, wait)
		}
	case <-time.After(10 * time.Second):
		c.Close()
		<-done
		t.Fatal("connect still waiting after 10 s; SO_SNDTIMEO set through the number was not seen")
	}
}
