package pysock_test

import (
	"context"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// Regression tests for what an outside review of the I/O core found.

// A blocking recvmsg(MSG_WAITALL) keeps the file descriptors that arrive
// with a later segment (CPython: (b'abcdef', [(1, 1, b'...')], 0, None));
// the read ends there, as the kernel's does.
func TestEdgeWaitAllRecvMsgKeepsLaterFds(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	a.Send([]byte("abc"))
	ch := make(chan pysock.MsgResult, 1)
	errc := make(chan error, 1)
	go func() {
		res, err := b.RecvMsg(6, 64, pysock.MSG_WAITALL)
		ch <- res
		errc <- err
	}()
	waitParked(t, "(*Socket).recvMsg")
	fdb := make([]byte, 4)
	binary.NativeEndian.PutUint32(fdb, uint32(r.Fd()))
	if _, err := a.SendMsg([][]byte{[]byte("def")}, []pysock.AncData{{Level: pysock.SOL_SOCKET, Type: pysock.SCM_RIGHTS, Data: fdb}}); err != nil {
		t.Fatal(err)
	}
	res := <-ch
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	for _, an := range res.AncData {
		unix.Close(int(binary.NativeEndian.Uint32(an.Data)))
	}
	if string(res.Data) != "abcdef" || len(res.AncData) != 1 || res.MsgFlags != 0 {
		t.Fatalf("recvmsg(6, 64, MSG_WAITALL) = %v, want (b'abcdef', [(1, 1, ...)], 0, None)", res)
	}
}

// A MSG_WAITALL receive cut short by its context returns the part it has
// (the kernel's call interrupted by a signal does); nothing is lost.
func TestEdgeWaitAllCancelKeepsData(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	a.Send([]byte("abc"))
	ctx, cancel := context.WithCancel(context.Background())
	ch := goCall(func() result {
		got, err := b.RecvContext(ctx, 10, pysock.MSG_WAITALL)
		return result{data: got, err: err}
	})
	waitParked(t, "(*Socket).recvNew")
	cancel()
	if r := await(t, ch, "RecvContext"); r.err != nil || string(r.data) != "abc" {
		t.Fatalf("cancelled RecvContext(10, MSG_WAITALL) = %q, %v, want b'abc'", r.data, r.err)
	}
	a.Send([]byte("Z"))
	if got, err := b.Recv(10); err != nil || string(got) != "Z" {
		t.Fatalf("next Recv = %q, %v", got, err)
	}
}

// A net.Conn SetReadDeadline racing the end of a Read never leaves its
// deadline on the poller for the socket's later (Python-mode) calls.
func TestEdgeNoStaleAdapterDeadline(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	c := b.NetConn()
	buf := make([]byte, 1)
	past := time.Unix(1, 0)
	for round := 0; round < 5; round++ {
		var stop atomic.Bool
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				c.SetReadDeadline(past)
				c.SetReadDeadline(time.Time{})
			}
		}()
		for k := 0; k < 2000; k++ {
			a.Send([]byte("x"), pysock.MSG_DONTWAIT)
			c.Read(buf)
		}
		stop.Store(true)
		wg.Wait()
		c.SetReadDeadline(time.Time{})
		b.SetBlocking(false)
		for {
			if _, err := b.Recv(4096); err != nil {
				break
			}
		}
		b.SetBlocking(true)
		ch := goCall(func() result { got, err := b.Recv(1); return result{data: got, err: err} })
		waitParked(t, "(*Socket).recvNew")
		a.Send([]byte("y"))
		if r := await(t, ch, "Recv"); r.err != nil {
			t.Fatalf("round %d: blocking Recv after the adapter calls: %v", round, r.err)
		}
	}
}

// A net.Conn Read that starts while another goroutine sets a read deadline
// honours it (Go's contract: a deadline applies to pending calls too). A
// SetReadDeadline that landed between the call reading the Conn's deadline
// and the call registering itself with the Conn was dropped, and the Read
// waited for ever.
func TestEdgeAdapterDeadlineSetAsReadStarts(t *testing.T) {
	checkFDs(t)
	a, b, err := pysock.SocketPair(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	defer a.Close()
	c := a.NetConn()
	done := make(chan error, 1)
	buf := make([]byte, 1)
	iters := 50000 // the old code failed within 360 to 42 559 of them
	if testing.Short() {
		iters = 5000
	}
	for i := range iters {
		if err := c.SetReadDeadline(time.Time{}); err != nil {
			t.Fatal(err)
		}
		var started atomic.Bool
		go func() {
			started.Store(true)
			_, err := c.Read(buf)
			done <- err
		}()
		for !started.Load() {
			runtime.Gosched() // with GOMAXPROCS=1, let the reader start
		}
		for j, k := 0, rand.IntN(400); j < k; j++ {
		} // a random delay, to land anywhere in the Read's start
		if err := c.SetReadDeadline(time.Now()); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("iteration %d: Read returned %v, want a deadline error", i, err)
			}
		case <-time.After(5 * time.Second):
			a.Close() // wake the Read, so that it does not leak
			<-done
			t.Fatalf("iteration %d: Read still blocked 5 s after SetReadDeadline(now)", i)
		}
	}
}

// A socket detached while another goroutine waits in its recv, and adopted
// again with FromFileno, times out on its own, as in CPython, where both
// threads poll the fd: s2.settimeout(0.2); s2.recv(10) raises TimeoutError
// after 0.2 s while the first recv still waits. pysock gave the new socket
// the old one's handle, and its recv queued behind the first on the
// handle's File.
func TestEdgeDetachAdoptWhileRecvWaits(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	first := goCall(func() result { _, err := a.Recv(10); return result{err: err} })
	waitParked(t, "pysock.(*Socket).recvNew")
	s2, err := pysock.FromFileno(a.Detach(), -1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.SetTimeout(0.2); err != nil {
		t.Fatal(err)
	}
	second := goCall(func() result {
		start := time.Now()
		_, err := s2.Recv(10)
		return result{err: err, took: time.Since(start)}
	})
	var r result
	select {
	case r = <-second:
	case <-time.After(5 * time.Second):
	}
	if _, err := b.Send([]byte("x")); err != nil { // release the first recv
		t.Fatal(err)
	}
	if f := await(t, first, "the first recv"); f.err != nil {
		t.Errorf("first recv: %v", f.err)
	}
	if r.took == 0 {
		r = await(t, second, "the adopted socket's recv")
		t.Fatalf("the adopted socket's recv (timeout 0.2 s) still waited after 5 s, then gave %v", r.err)
	}
	if !isTimeout(r.err) || r.took > 3*time.Second {
		t.Fatalf("the adopted socket's recv: %v after %v, want TimeoutError after 0.2 s", r.err, r.took)
	}
}
