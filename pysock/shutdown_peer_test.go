package pysock_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// The peer's shutdown(SHUT_RD) shuts an AF_UNIX stream or seqpacket
// socket's sending side: the kernel wakes its blocking send, which fails
// with BrokenPipeError. epoll reports no event for it; pysock wakes the
// sends parked on the process's AF_UNIX sockets itself.
//
// python3 (each kind; a blocking a.sendall(b'x'*(1<<24)) in a thread, or
// a loop of a.send(b'x'*1000) on SOCK_SEQPACKET, then):
//
//	b.shutdown(socket.SHUT_RD)   -> BrokenPipeError(32, 'Broken pipe'); a.send(b'y') too
func TestPeerShutdownReadWakesSend(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind pysock.SocketKind
		how  int
	}{
		{"stream SHUT_RD", pysock.SOCK_STREAM, pysock.SHUT_RD},
		{"stream SHUT_RDWR", pysock.SOCK_STREAM, pysock.SHUT_RDWR},
		{"seqpacket SHUT_RD", pysock.SOCK_SEQPACKET, pysock.SHUT_RD},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b, err := pysock.SocketPair(pysock.AF_UNIX, tc.kind, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			defer b.Close()
			ch := sendLoopParked(t, a)
			if err := b.Shutdown(tc.how); err != nil {
				t.Fatal(err)
			}
			expectBrokenPipe(t, ch, b, "the peer's shutdown")
			if _, err := a.Send([]byte("y")); errnoOf(err) != 32 {
				t.Fatalf("a later send = %v, want BrokenPipeError(32)", err)
			}
		})
	}
}

// sendLoopParked starts a blocking loop of 1000-byte sends on a until
// one fails, and waits for it to park on the full send buffer.
func sendLoopParked(t *testing.T, a *pysock.Socket) <-chan result {
	t.Helper()
	ch := goCall(func() result {
		for {
			n, err := a.Send(make([]byte, 1000))
			if err != nil {
				return result{n: n, err: err}
			}
		}
	})
	waitParked(t, "pysock.(*Socket).Send")
	return ch
}

// The peer need not be a SocketPair end: an end connected through a path
// and its accepted end, the shutdown made through a dup of the peer.
//
// python3 (a blocking a.send(b'x'*1000) loop in a thread on one end, then
// on the other):
//
//	c.shutdown(socket.SHUT_RD)         -> the accepted end's send: BrokenPipeError(32, 'Broken pipe')
//	s.dup().shutdown(socket.SHUT_RD)   -> the connected end's send: BrokenPipeError(32, 'Broken pipe')
func TestPeerShutdownReadWakesSendAnyPeer(t *testing.T) {
	for _, tc := range []struct {
		name     string
		kind     pysock.SocketKind
		accepted bool // the accepted end sends
		dup      bool // the shutdown is made through a dup of the peer
	}{
		{"connected end sends", pysock.SOCK_STREAM, false, false},
		{"accepted end sends", pysock.SOCK_STREAM, true, false},
		{"peer's dup shuts", pysock.SOCK_STREAM, false, true},
		{"seqpacket", pysock.SOCK_SEQPACKET, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := pysock.UnixPathPair(t, tc.kind)
			defer a.Close()
			defer b.Close()
			if tc.accepted {
				a, b = b, a
			}
			ch := sendLoopParked(t, a)
			shutter := b
			if tc.dup {
				d, err := b.Dup()
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				shutter = d
			}
			if err := shutter.Shutdown(pysock.SHUT_RD); err != nil {
				t.Fatal(err)
			}
			expectBrokenPipe(t, ch, b, "the peer's shutdown")
		})
	}
}

// Another pair's shutdown(SHUT_RD) leaves a parked send waiting (the
// kernel names another peer; where it cannot be asked, pysock wakes the
// send and it parks again); the send goes on once there is room.
//
// python3 (a blocking a.send loop on one socketpair, then):
//
//	y.shutdown(socket.SHUT_RD)   (x, y another socketpair) -> a's send still waits
func TestOtherShutdownLeavesSend(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	x, y := pair(t)
	defer x.Close()
	defer y.Close()
	ch := sendParked(t, a)
	for range 3 {
		if err := y.Shutdown(pysock.SHUT_RD); err != nil {
			t.Fatal(err)
		}
		waitParked(t, "pysock.(*Socket).Send")
	}
	select {
	case r := <-ch:
		t.Fatalf("another pair's shutdown(SHUT_RD) ended a parked send: %d, %v; CPython's still waits", r.n, r.err)
	default:
	}
	for {
		if _, err := b.Recv(1<<16, pysock.MSG_DONTWAIT); err != nil {
			break
		}
	}
	if r := await(t, ch, "send"); r.err != nil || r.n != 100 {
		t.Fatalf("send = %d, %v; want 100, nil", r.n, r.err)
	}
}

// A peer's shutdown at varied moments around the send's start and park
// ends the send each time. (TestShutdownBeforeParkWrite holds the send
// between its last attempt and its park, where a shutdown could be lost.)
func TestPeerShutdownRacesPark(t *testing.T) {
	for i := range 200 {
		a, b := pair(t)
		ch := goCall(func() result {
			for {
				n, err := a.Send(make([]byte, 4096))
				if err != nil {
					return result{n: n, err: err}
				}
			}
		})
		for range i % 40 {
			runtime.Gosched() // a little later each round: nearer the send's park
		}
		if err := b.Shutdown(pysock.SHUT_RD); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-ch:
			if errnoOf(r.err) != 32 {
				t.Fatalf("round %d: send = %d, %v; want BrokenPipeError(32)", i, r.n, r.err)
			}
		case <-time.After(3 * time.Second):
			b.Close()
			<-ch
			t.Fatalf("round %d: a peer's shutdown(SHUT_RD) racing the send's park was lost: the send still waited 3 s later", i)
		}
		a.Close()
		b.Close()
	}
}

// The peer's shutdown(SHUT_WR) leaves this end's sends alone, in the
// kernel and in pysock: a parked send goes on once there is room.
func TestPeerShutdownWriteLeavesSend(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	ch := sendParked(t, a)
	if err := b.Shutdown(pysock.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := b.Recv(1<<16, pysock.MSG_DONTWAIT); err != nil {
			break
		}
	}
	if r := await(t, ch, "send"); r.err != nil || r.n != 100 {
		t.Fatalf("send = %d, %v; want 100, nil", r.n, r.err)
	}
}
