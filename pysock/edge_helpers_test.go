package pysock_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// Shared by the edge-case tests: every one of them is bounded
// by a watchdog, and synchronizes by looking at the state it waits for
// (a goroutine parked in a call), never by sleeping.

// watchdog fails the test if fn has not returned within d, and returns
// fn's result otherwise.
func watchdog[T any](t *testing.T, d time.Duration, what string, fn func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v
	case <-time.After(d):
		t.Fatalf("%s: still running after %v (hang)", what, d)
		panic("unreachable")
	}
}

// result is a call's outcome, collected from a goroutine.
type result struct {
	n    int
	data []byte
	err  error
	took time.Duration
}

// goCall runs fn in a goroutine and returns a channel with its result.
func goCall(fn func() result) <-chan result {
	ch := make(chan result, 1)
	go func() {
		start := time.Now()
		r := fn()
		r.took = time.Since(start)
		ch <- r
	}()
	return ch
}

// await waits (bounded) for a goCall result.
func await(t *testing.T, ch <-chan result, what string) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: no result after 10s (hang)", what)
		return result{}
	}
}

// parked reports whether goroutine dump g is parked (on the poller, a
// lock, a channel or in a syscall).
func parked(g string) bool {
	return strings.Contains(g, "[IO wait") || strings.Contains(g, "[select") ||
		strings.Contains(g, "[chan receive") || strings.Contains(g, "[syscall")
}

// countParked counts the goroutines parked inside fn.
func countParked(fn string) int {
	buf := make([]byte, 64<<20)
	n := runtime.Stack(buf, true)
	count := 0
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		if strings.Contains(g, fn) && parked(g) {
			count++
		}
	}
	return count
}

// waitParked waits until some goroutine is parked inside a function whose
// name contains fn (e.g. "pysock.(*Socket).recvNew") waiting for the
// poller, a lock or a channel: the synchronisation point the edge tests
// need before they act on the socket from outside.
func waitParked(t *testing.T, fn string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	buf := make([]byte, 1<<20)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, fn) && parked(g) {
				return
			}
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond) // polling for a condition, bounded
	}
	t.Fatalf("no goroutine parked in %s", fn)
}

// errnoOf is the Python errno of err (-1 when it has none, e.g. a
// TimeoutError; 0 for nil).
func errnoOf(err error) int {
	if err == nil {
		return 0
	}
	var oe *pyerr.OSError
	if errors.As(err, &oe) && oe.HasErrno {
		return oe.Errno
	}
	return -1
}

func isTimeout(err error) bool {
	var te *pyerr.TimeoutError
	return errors.As(err, &te)
}

// goNetPair is a connected Go net TCP pair on loopback (client, server
// side), both closed at the end of the test (closing one earlier is fine).
func goNetPair(t *testing.T) (c, s *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	gc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gc.Close() })
	gs, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { gs.Close() })
	return gc.(*net.TCPConn), gs.(*net.TCPConn)
}

// tcpPair is a connected TCP pair on loopback (client, server side).
func tcpPair(t *testing.T) (*pysock.Socket, *pysock.Socket) {
	t.Helper()
	srv, addr := listener(t)
	defer srv.Close()
	c, err := pysock.CreateConnection(addr)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := srv.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// linger0 makes Close send an RST.
func linger0(t *testing.T, s *pysock.Socket) {
	t.Helper()
	v := make([]byte, 8)
	binary.NativeEndian.PutUint32(v, 1)
	if err := s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_LINGER, v); err != nil {
		t.Fatal(err)
	}
}

// fill sends on s (non-blocking for the duration) until the kernel takes
// no more, and returns how much it took.
func fill(t *testing.T, s *pysock.Socket) int {
	t.Helper()
	mode := s.GetTimeout()
	s.SetBlocking(false)
	defer s.SetTimeout(mode)
	chunk := make([]byte, 64<<10)
	total := 0
	for i := 0; i < 10000; i++ {
		n, err := s.Send(chunk)
		total += n
		if err != nil {
			if errnoOf(err) != 11 {
				t.Fatalf("fill: %v", err)
			}
			return total
		}
	}
	t.Fatal("fill: the socket never filled")
	return 0
}

// excString is an error as Python prints an exception caught with
// except Exception as e: "Class: str(e)"; "ok" for nil, and the Go type
// for an error that is not a Python exception.
func excString(err error) string {
	if err == nil {
		return "ok"
	}
	var pe pyerr.PyException
	if errors.As(err, &pe) {
		return pe.ClassName() + ": " + err.Error()
	}
	return fmt.Sprintf("(not a Python exception) %T: %v", err, err)
}

// within runs f in a goroutine and waits up to d for it: ok reports that
// it returned; done is closed when it does (a caller that unblocks a hung
// call waits on it).
func within(d time.Duration, f func()) (done <-chan struct{}, ok bool) {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		f()
	}()
	select {
	case <-ch:
		return ch, true
	case <-time.After(d):
		return ch, false
	}
}
