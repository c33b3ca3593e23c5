package pysock_test

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// setFlagOutside sets or clears O_NONBLOCK on s's file description through
// its number, as fcntl(F_SETFL) from Python or another process would.
func setFlagOutside(t *testing.T, s *pysock.Socket, on bool) {
	t.Helper()
	fd := s.Fileno()
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if on {
		fl |= unix.O_NONBLOCK
	} else {
		fl &^= unix.O_NONBLOCK
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, fl); err != nil {
		t.Fatal(err)
	}
}

// clearedPair is a socketpair whose a is in non-blocking mode with its
// O_NONBLOCK flag cleared through the number.
func clearedPair(t *testing.T) (a, b *pysock.Socket) {
	t.Helper()
	a, b = pair(t)
	if err := a.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	setFlagOutside(t, a, false)
	return a, b
}

// A blocking-mode recv made while another goroutine's blocking recv waits
// on the same socket, after O_NONBLOCK was set through the number: the
// kernel's call reads the flag and fails at once. pysock's second call
// waits for the side lock the first one holds (it never reaches its look),
// so it hangs until the first call gets its data.
//
// python3:
//
//	import socket, fcntl, os, threading, time
//	a, b = socket.socketpair()
//	res = []
//	t = threading.Thread(target=lambda: res.append(a.recv(1))); t.start()
//	time.sleep(0.2)
//	fl = fcntl.fcntl(a.fileno(), fcntl.F_GETFL)
//	fcntl.fcntl(a.fileno(), fcntl.F_SETFL, fl | os.O_NONBLOCK)
//	a.recv(1)
//	-> BlockingIOError(11, 'Resource temporarily unavailable')  (after 0.0 s)
//	b.send(b'x'); t.join(); res -> [b'x']
func TestEdgeOutsideBlockingCallBehindWaiterSeesOutsideFlag(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	a.Fileno()
	first := goCall(func() result {
		data, err := a.Recv(1)
		return result{data: data, err: err}
	})
	waitParked(t, "pysock.(*Socket).recvNew")
	setFlagOutside(t, a, true)
	second := goCall(func() result {
		data, err := a.Recv(1)
		return result{data: data, err: err}
	})
	var r result
	select {
	case r = <-second:
	case <-time.After(2 * time.Second):
		// Release both calls so the test ends cleanly.
		b.Send([]byte("xy"))
		await(t, first, "first recv")
		r = await(t, second, "second recv")
		t.Fatalf("second blocking-mode Recv on a flag set through the number still waiting after 2s (then got %q, %v); CPython raises BlockingIOError(11) at once", r.data, r.err)
	}
	if errnoOf(r.err) != 11 {
		t.Errorf("second Recv = %q, %v; want BlockingIOError(11)", r.data, r.err)
	}
	b.Send([]byte("x"))
	if r := await(t, first, "first recv"); r.err != nil || string(r.data) != "x" {
		t.Errorf("first Recv = %q, %v; want b'x'", r.data, r.err)
	}
}

// Non-blocking mode, O_NONBLOCK cleared through the number: recv(7,
// MSG_WAITALL) is the kernel's blocking MSG_WAITALL call and waits for all
// seven bytes. pysock's Recv/RecvFrom decide at begin (recvNew: st.emu is
// false in non-blocking mode) that MSG_WAITALL does not gather, and the
// look that later turns on emu does not change st.op back to opRecv, so
// the call returns the first part that arrives.
//
// python3:
//
//	a, b = socket.socketpair(); a.setblocking(False)
//	fl = fcntl.fcntl(a.fileno(), fcntl.F_GETFL)
//	fcntl.fcntl(a.fileno(), fcntl.F_SETFL, fl & ~os.O_NONBLOCK)
//	threading.Timer(0.2, lambda: b.send(b'abc')).start()
//	threading.Timer(0.4, lambda: b.send(b'defg')).start()
//	a.recv(7, socket.MSG_WAITALL)      -> b'abcdefg'   (after 0.4 s)
//	(same again) a.recvfrom(7, socket.MSG_WAITALL) -> (b'abcdefg', None)
func TestEdgeOutsideNonblockingWaitAllOnClearedFlag(t *testing.T) {
	for _, name := range []string{"recv", "recvfrom", "recv_into"} {
		t.Run(name, func(t *testing.T) {
			a, b := clearedPair(t)
			defer a.Close()
			defer b.Close()
			ch := goCall(func() result {
				switch name {
				case "recv":
					data, err := a.Recv(7, pysock.MSG_WAITALL)
					return result{data: data, err: err}
				case "recvfrom":
					data, _, err := a.RecvFrom(7, pysock.MSG_WAITALL)
					return result{data: data, err: err}
				}
				buf := make([]byte, 7)
				n, err := a.RecvInto(buf, 7, pysock.MSG_WAITALL)
				return result{data: buf[:n], err: err}
			})
			waitParked(t, "pysock.(*side).pollIO") // the call waits: it looked and found the flag clear
			b.Send([]byte("abc"))
			// Not synchronization: any timing gives b'abcdefg'; the pause
			// lets a call that stopped gathering return the first part.
			time.Sleep(100 * time.Millisecond)
			b.Send([]byte("defg"))
			r := await(t, ch, name)
			if r.err != nil || string(r.data) != "abcdefg" {
				t.Errorf("%s(7, MSG_WAITALL) = %q, %v; want b'abcdefg' (the kernel's blocking call waits for all)", name, r.data, r.err)
			}
		})
	}
}

// Non-blocking mode, O_NONBLOCK cleared through the number, part of the
// data already queued: recv_into(buf, 7, MSG_WAITALL) is the kernel's
// blocking call and waits for the rest. pysock's call finds the part at
// once (st.emu false, so no gather), never meets EAGAIN, never looks, and
// returns the part. (docs/porting.md names only the send analogue.)
//
// python3:
//
//	a, b = socket.socketpair(); a.setblocking(False)
//	fl = fcntl.fcntl(a.fileno(), fcntl.F_GETFL)
//	fcntl.fcntl(a.fileno(), fcntl.F_SETFL, fl & ~os.O_NONBLOCK)
//	b.send(b'abc'); threading.Timer(0.3, lambda: b.send(b'defg')).start()
//	a.recv(7, socket.MSG_WAITALL)      -> b'abcdefg'   (after 0.3 s)
func TestEdgeOutsideNonblockingWaitAllPartOnClearedFlag(t *testing.T) {
	a, b := clearedPair(t)
	defer a.Close()
	defer b.Close()
	b.Send([]byte("abc"))
	ch := goCall(func() result {
		buf := make([]byte, 7)
		n, err := a.RecvInto(buf, 7, pysock.MSG_WAITALL)
		return result{data: buf[:n], err: err}
	})
	waitParked(t, "pysock.(*side).pollIO") // the call waits for the rest
	b.Send([]byte("defg"))
	r := await(t, ch, "recv_into")
	if r.err != nil || string(r.data) != "abcdefg" {
		t.Errorf("recv_into(buf, 7, MSG_WAITALL) = %q, %v after %v; want b'abcdefg' (the kernel's blocking call waits for all)", r.data, r.err, r.took)
	}
}

// A negative SO_RCVTIMEO set with SetSockOpt (recorded in fdesc.noWaitR),
// then a positive one set through the number (another holder of the
// description): the kernel's blocking recv waits that time, then raises
// BlockingIOError. kernelTimedMode reads the positive time and makes the
// call timed, but lookOutside, at the first EAGAIN, tests the stale
// noWaitR before anything else and ends the wait at once. On the parent
// commit (no look) the call waited the 0.3 s, as CPython's does: a
// regression.
//
// python3:
//
//	a, b = socket.socketpair()
//	a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('ll', -1, 0))
//	c = socket.socket(fileno=os.dup(a.fileno()))     # another holder
//	c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('ll', 0, 300000))
//	a.recv(1)  -> BlockingIOError(11, 'Resource temporarily unavailable') after 0.32 s
func TestEdgeOutsideStaleNoWaitAfterOutsidePositiveTimeout(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	neg := make([]byte, 16)
	binary.NativeEndian.PutUint64(neg, ^uint64(0)) // tv_sec = -1
	if err := a.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, neg); err != nil {
		t.Fatal(err)
	}
	tv := unix.NsecToTimeval((300 * time.Millisecond).Nanoseconds())
	if err := unix.SetsockoptTimeval(a.Fileno(), unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		t.Fatal(err)
	}
	r := await(t, goCall(func() result {
		data, err := a.Recv(1)
		return result{data: data, err: err}
	}), "recv")
	if errnoOf(r.err) != 11 || r.took < 250*time.Millisecond {
		t.Errorf("Recv = %q, %v after %v; want BlockingIOError(11) after about 0.3 s (SO_RCVTIMEO set through the number)", r.data, r.err, r.took)
	}
}

// A blocking-mode receive that finds another goroutine's receive on its
// side, on a socket whose number is out, reads the flag (lookBehind,
// e8caeca): set through the number, the call makes its one attempt on a
// private state. With SO_RCVTIMEO set, the mode it started with is the
// option's (timed, kt) and lookBehind keeps that deadline on the private
// state. A MSG_WAITALL receive there that finds part of its data arms that
// deadline (doRead's gather: st.arm, dlPush) and returns; nothing disarms
// a private state (end, runOther), so when the option's time passes the
// heap sets the read deadline of the socket's File: the other goroutine's
// receive, which CPython's kernel leaves waiting, is woken with an error.
//
// python3 (TCP loopback, a and b connected, blocking):
//
//	t1: a.recv(1000, socket.MSG_PEEK | socket.MSG_WAITALL)          # in a thread; waits
//	b.send(b'x' * 10)
//	a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('ll', 0, 300000))
//	os.set_blocking(a.fileno(), False)
//	a.recv(100, socket.MSG_WAITALL)                                  -> b'xxxxxxxxxx'
//	t1 after 1.5 s                                                   -> still waiting
//	b.close()                                                        -> t1 returns b'xxxxxxxxxx'
func TestEdgeOutsidePrivateCallArmsNoDeadline(t *testing.T) {
	b, a := tcpPair(t)
	defer a.Close()
	defer b.Close()
	fd := a.Fileno()
	ch := goCall(func() result {
		data, err := a.Recv(1000, pysock.MSG_PEEK|pysock.MSG_WAITALL)
		return result{data: data, err: err}
	})
	waitParked(t, "pysock.(*Socket).recvNew")
	if _, err := b.Send(bytes.Repeat([]byte("x"), 10)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the holder peeks the 10 bytes and parks again
	select {
	case r := <-ch:
		t.Fatalf("the MSG_PEEK|MSG_WAITALL receive returned early: %q, %v (TCP waits for the 1000)", r.data, r.err)
	default:
	}
	setKernelTimeo(t, a, pysock.SO_RCVTIMEO, 300*time.Millisecond)
	if err := unix.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	ch2 := goCall(func() result {
		data, err := a.Recv(100, pysock.MSG_WAITALL)
		return result{data: data, err: err}
	})
	select {
	case r := <-ch2:
		if r.err != nil || string(r.data) != "xxxxxxxxxx" {
			t.Errorf("recv(100, MSG_WAITALL) with the flag set through the number = %q, %v; want b'xxxxxxxxxx'", r.data, r.err)
		}
	case <-time.After(3 * time.Second):
		b.Close()
		a.Close()
		<-ch2
		<-ch
		t.Fatal("recv(100, MSG_WAITALL) with the flag set through the number waited for the other receive; CPython's returns b'xxxxxxxxxx' at once")
	}
	select {
	case r := <-ch:
		t.Errorf("the other goroutine's blocking receive ended after %v with %q, %v; CPython's goes on waiting (the private call's SO_RCVTIMEO deadline was left on the socket's File)", r.took, r.data, r.err)
	case <-time.After(1500 * time.Millisecond):
		b.Close()
		await(t, ch, "the holder after the peer's close")
	}
}
