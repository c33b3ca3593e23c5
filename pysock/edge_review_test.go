package pysock_test

import (
	"context"
	"encoding/binary"
	"os"
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
