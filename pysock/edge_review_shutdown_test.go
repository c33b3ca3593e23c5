package pysock_test

import (
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// Regression tests for what the outside review of the AF_UNIX shutdown
// wake-up found: a shutdown made through a sibling socket, a mode changed
// while the send waits, and shutdowns racing sends (a lost wake-up of a
// call waiting for the side's lock, a net.Conn Write failing with a
// timeout it never set).

// sendParked fills a (AF_UNIX stream, blocking mode) and starts a blocking
// send of 100 bytes that parks.
func sendParked(t *testing.T, a *pysock.Socket) <-chan result {
	t.Helper()
	fill(t, a)
	ch := goCall(func() result {
		n, err := a.Send(make([]byte, 100))
		return result{n: n, err: err}
	})
	waitParked(t, "pysock.(*Socket).Send")
	return ch
}

// expectBrokenPipe waits for the parked send ch to fail with
// BrokenPipeError(32), as CPython's does at once after what; the peer b's
// close ends a send that still waits.
func expectBrokenPipe(t *testing.T, ch <-chan result, b *pysock.Socket, what string) {
	t.Helper()
	select {
	case r := <-ch:
		if errnoOf(r.err) != 32 {
			t.Fatalf("send = %d, %v after %s; want BrokenPipeError(32)", r.n, r.err, what)
		}
	case <-time.After(3 * time.Second):
		b.Close()
		r := await(t, ch, "send")
		t.Fatalf("send still parked 3 s after %s (ended only by the peer's close: %d, %v); CPython: BrokenPipeError(32)", what, r.n, r.err)
	}
}

// A shutdown(SHUT_WR) made through a dup of the socket (same open socket)
// wakes the kernel's blocking send too.
//
// python3 (a filled, blocking a.send(b'y'*100) in a thread, then):
//
//	a.dup().shutdown(socket.SHUT_WR)                    -> send raises BrokenPipeError(32, 'Broken pipe')
func TestEdgeDupShutdownWakesSend(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	ch := sendParked(t, a)
	d, err := a.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Shutdown(pysock.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	expectBrokenPipe(t, ch, b, "the dup's shutdown(SHUT_WR)")
}

// Same open socket adopted through FromFileno (socket.socket(fileno=...)).
//
// python3: c=socket.socket(fileno=a.fileno()); c.shutdown(SHUT_WR); c.detach()
//
//	-> the parked a.send raises BrokenPipeError(32, 'Broken pipe')
func TestEdgeAdoptedShutdownWakesSend(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	ch := sendParked(t, a)
	c, err := pysock.FromFileno(a.Fileno(), -1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Shutdown(pysock.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	c.Detach()
	expectBrokenPipe(t, ch, b, "shutdown(SHUT_WR) through an adopted fd")
}

// A blocking send that parked, then settimeout(5) and shutdown(SHUT_WR)
// from another goroutine: the wake-up follows the mode the call parked in,
// not the socket's mode now. The kernel's blocking send is already asleep
// and wakes with EPIPE.
//
// python3: a.settimeout(5.0); a.shutdown(socket.SHUT_WR)
//
//	-> the parked blocking a.send raises BrokenPipeError(32, 'Broken pipe') at once
func TestEdgeSetTimeoutThenShutdownWakesSend(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	ch := sendParked(t, a)
	if err := a.SetTimeout(5.0); err != nil {
		t.Fatal(err)
	}
	if err := a.Shutdown(pysock.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	expectBrokenPipe(t, ch, b, "settimeout(5)+shutdown(SHUT_WR)")
}

// racingShutdowns shuts a down for reading, again and again, and drains b,
// until stop.
func racingShutdowns(a, b *pysock.Socket, stop *atomic.Bool) {
	go func() {
		for !stop.Load() {
			a.Shutdown(pysock.SHUT_RD)
		}
	}()
	go func() {
		for !stop.Load() {
			if _, err := b.Recv(1 << 16); err != nil {
				return
			}
		}
	}()
}

// Shutdowns racing blocking sends: a send that finds the write side's lock
// held by another goroutine waits for it in lockSlow, and must be woken
// when it is released; the shutdown's wake-up must not leave it waiting
// (a first version took the lock with TryLock to look for a parked call,
// and its Unlock woke nobody).
//
// python3: a blocking send concurrent with shutdown(SHUT_RD) on an
// AF_UNIX pair always returns (shutdown(SHUT_RD) does not stop sends):
//
//	a,b=socket.socketpair(); stop=False
//	def sh():
//	    while not stop: a.shutdown(socket.SHUT_RD)
//	threading.Thread(target=sh).start(); threading.Thread(target=drain_b).start()
//	for i in range(200000): a.send(b'x')   -> completes (all 200000 sends return 1)
func TestEdgeShutdownRacingSends(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	var stop atomic.Bool
	defer stop.Store(true)
	racingShutdowns(a, b, &stop)
	var sent atomic.Int64
	go func() {
		one := []byte("x")
		for !stop.Load() {
			if _, err := a.Send(one); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	end := time.Now().Add(3 * time.Second)
	last := int64(-1)
	for time.Now().Before(end) {
		time.Sleep(500 * time.Millisecond) // sampling progress
		n := sent.Load()
		if n == last {
			buf := make([]byte, 1<<20)
			st := string(buf[:runtime.Stack(buf, true)])
			inLock := strings.Contains(st, "lockSlow")
			stop.Store(true)
			a.Close()
			t.Fatalf("in lockSlow: %v; a blocking send made no progress for 500 ms after %d sends; CPython's sends all return", inLock, n)
		}
		last = n
	}
	t.Logf("%d sends, no hang", last)
}

// Shutdowns racing net.Conn Writes: a net.Conn call is marked as one only
// after it has taken the side's lock, and a shutdown's wake-up aimed at a
// blocking-mode send must never reach it: the Write would fail with a
// timeout though no deadline is set. Go's net.Conn Write on a socket whose
// read side is shut down succeeds.
//
// python3 (the plain twin; Go's net.Conn has the same kernel under it):
//
//	a,b=socket.socketpair(); thread: while True: a.shutdown(SHUT_RD); thread: drain b
//	for i in range(200000): a.send(b'x')   -> 200000 (no error)
func TestEdgeShutdownRacingNetConnWrites(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	var stop atomic.Bool
	defer stop.Store(true)
	racingShutdowns(a, b, &stop)
	c := a.NetConn()
	errc := make(chan error, 1)
	var sent atomic.Int64
	go func() {
		one := []byte("x")
		for !stop.Load() {
			if _, err := c.Write(one); err != nil {
				errc <- err
				return
			}
			sent.Add(1)
		}
		errc <- nil
	}()
	select {
	case err := <-errc:
		if err != nil {
			stop.Store(true)
			t.Fatalf("net.Conn Write failed after %d writes with no deadline set: %v (%T)", sent.Load(), err, err)
		}
	case <-time.After(3 * time.Second):
		t.Logf("%d writes, no error", sent.Load())
	}
}
