package pysock_test

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// An outside review of 811765a and ac4830c (sends' deadlines in the
// deadline heaps, spin locks for the parked-write lists), 2026-12-03. The
// new code held up under every interleaving tried; the tests below are
// older behaviour of the same paths (the heap expiry of a SO_SNDTIMEO
// send, and sendAllGoesOn), each failing before the fix that followed
// ("pysock:" says what it did then).

// unixPairOf is a connected AF_UNIX socketpair of kind.
func unixPairOf(t *testing.T, kind pysock.SocketKind) (*pysock.Socket, *pysock.Socket) {
	t.Helper()
	a, b, err := pysock.SocketPair(pysock.AF_UNIX, kind, 0)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// fullSndtimeoPair is a connected AF_UNIX socketpair of kind whose first
// end, blocking, has a full send buffer and SO_SNDTIMEO d; both ends are
// closed when the test ends.
func fullSndtimeoPair(t *testing.T, kind pysock.SocketKind, d time.Duration) (*pysock.Socket, *pysock.Socket) {
	t.Helper()
	a, b := unixPairOf(t, kind)
	t.Cleanup(func() { a.Close(); b.Close() })
	fill(t, a)
	a.SetBlocking(true)
	setSndTimeo(t, a, d)
	return a, b
}

// setSndTimeo sets s's SO_SNDTIMEO to d.
func setSndTimeo(t *testing.T, s *pysock.Socket, d time.Duration) {
	t.Helper()
	tv := make([]byte, 16)
	binary.NativeEndian.PutUint64(tv, uint64(d/time.Second))
	binary.NativeEndian.PutUint64(tv[8:], uint64((d%time.Second)/time.Microsecond))
	if err := s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, tv); err != nil {
		t.Fatal(err)
	}
}

// drainUpTo reads up to n bytes queued on s (non-blocking).
func drainUpTo(s *pysock.Socket, n int) {
	s.SetBlocking(false)
	for got := 0; got < n; {
		d, err := s.Recv(n - got)
		if err != nil || len(d) == 0 {
			return
		}
		got += len(d)
	}
}

// TestSendAllContextCancelAfterProgress: a blocking-mode
// SendAllContext with SO_SNDTIMEO 1 s on a full AF_UNIX socketpair; the
// peer reads 200 000 bytes once (progress), then nothing; ctx is cancelled
// 300 ms later. The cancel's past deadline reaches writeAgain as a
// deadline, sendAllGoesOn takes it for SO_SNDTIMEO's (progress since the
// mark), clears it and re-arms, and armNow, seeing st.cancel, pushes no
// deadline: the call parks with none at all and never returns (until
// Close) - neither ctx.Err() nor SO_SNDTIMEO's BlockingIOError. The same
// happens after a heap expiry, or a shutdown's wake-up (restoreAfterWake
// keeps a cancelled call's past deadline), followed by a cancel.
// (Present before these commits too: sendAllGoesOn never checks cancel.)
//
// CPython 3.11 has no contexts; its sendall bounds the call through
// SO_SNDTIMEO alone:
//
//	a.setsockopt(SOL_SOCKET, SO_SNDTIMEO, struct.pack('ll', 1, 0))  # a full socketpair
//	threading: sleep(0.2); b.recv(200000)
//	a.sendall(b'y'*(1<<20))  -> BlockingIOError [Errno 11] after 2.24 s
//
// pysock did: still parked 4 s after the call began (ctx cancelled at 0.5 s);
// Close then ends it with context.Canceled.
func TestSendAllContextCancelAfterProgress(t *testing.T) {
	a, b := fullSndtimeoPair(t, pysock.SOCK_STREAM, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	ch := goCall(func() result { return result{err: a.SendAllContext(ctx, make([]byte, 1<<20))} })
	waitParked(t, "pysock.(*Socket).sendData")
	time.Sleep(200*time.Millisecond - time.Since(start))
	drainUpTo(b, 200000)
	time.Sleep(300 * time.Millisecond)
	cancel()
	select {
	case r := <-ch:
		if !errors.Is(r.err, context.Canceled) && errnoOf(r.err) != 11 {
			t.Fatalf("SendAllContext = %v after %v; want context.Canceled (or BlockingIOError(11))", r.err, r.took)
		}
	case <-time.After(4*time.Second - time.Since(start)):
		a.Close()
		r := await(t, ch, "SendAllContext after Close")
		t.Fatalf("SendAllContext still parked 4 s after it began, 3.5 s after its ctx was cancelled and past its 1 s SO_SNDTIMEO (Close ended it: %v); want context.Canceled promptly (CPython's sendall: BlockingIOError(11) at 2.2 s)", r.err)
	}
}

// TestSendSndtimeoUnixKeepsGoing: a blocking Send of 1 MiB with
// SO_SNDTIMEO 0.5 s on an AF_UNIX stream socket whose peer reads 100 000
// bytes every 200 ms. The kernel's unix_stream_sendmsg starts the timeout
// afresh for every skb it waits for (sock_alloc_send_pskb reads
// sock_sndtimeo each time), so a send that keeps making progress never
// times out. pysock's deadline is fixed at the call's start (the heap
// entry, as the poller's deadline before): it returns a part at 0.5 s.
// (Present before these commits; TCP's timeout is the whole call's, which
// pysock does get right.)
//
//	a.setsockopt(SOL_SOCKET, SO_SNDTIMEO, struct.pack('ll', 0, 500000))
//	reader thread: every 0.2 s b.recv(100000)
//	a.send(b'y'*(1<<20))  -> 1048576 after 2.0 s
//
// pysock did: 401984, nil after 0.5 s.
func TestSendSndtimeoUnixKeepsGoing(t *testing.T) {
	a, b := unixPairOf(t, pysock.SOCK_STREAM)
	defer b.Close()
	defer a.Close()
	setSndTimeo(t, a, 500*time.Millisecond)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			drainUpTo(b, 100000)
		}
	}()
	const size = 1 << 20
	ch := goCall(func() result { n, err := a.Send(make([]byte, size)); return result{n: n, err: err} })
	var r result
	select {
	case r = <-ch:
	case <-time.After(10 * time.Second):
		a.Close()
		r = await(t, ch, "Send after Close")
		close(stop)
		<-done
		t.Fatalf("Send still running after 10 s (Close ended it: %d, %v)", r.n, r.err)
	}
	close(stop)
	<-done
	if r.n != size || r.err != nil {
		t.Fatalf("Send = %d, %v after %v; CPython: %d after 2.0 s (the peer reads every 200 ms, under the 500 ms SO_SNDTIMEO)", r.n, r.err, r.took.Round(10*time.Millisecond), size)
	}
}

// TestSendAllSndtimeoUnixAfterProgress: a blocking sendall of
// 600 000 bytes with SO_SNDTIMEO 0.5 s on a full AF_UNIX socketpair whose
// peer reads once, at 0.3 s, all that is queued (233 152 bytes). CPython's sendall is a loop of
// kernel sends: the first, after the read, sends what fits and waits for
// the next skb with the whole 0.5 s again (AF_UNIX restarts it per skb),
// returns its part at 0.8 s, and the next send fails 0.5 s later. pysock
// restarts the time only when it has run out (sendAllGoesOn: progress
// since the mark), from that moment, not from the progress: it fails at
// 1.0 s, a third of a second early. (Present before these commits.)
//
//	a.setsockopt(SOL_SOCKET, SO_SNDTIMEO, struct.pack('ll', 0, 500000))  # a full socketpair
//	threading: sleep(0.3); b.setblocking(False); b.recv(1<<20)  # 233152 bytes
//	a.sendall(b'y'*600000)  -> BlockingIOError [Errno 11] after 1.32-1.34 s (3 runs)
//
// pysock did: BlockingIOError(11) after 1.00 s.
func TestSendAllSndtimeoUnixAfterProgress(t *testing.T) {
	a, b := fullSndtimeoPair(t, pysock.SOCK_STREAM, 500*time.Millisecond)
	drained := make(chan struct{})
	tm := time.AfterFunc(300*time.Millisecond, func() {
		b.SetBlocking(false)
		b.Recv(1 << 20) // one read: all that is queued, the sender's whole buffer
		close(drained)
	})
	r := await(t, goCall(func() result { return result{err: a.SendAll(make([]byte, 600000))} }), "SendAll")
	if tm.Stop() {
		close(drained)
	}
	<-drained
	if errnoOf(r.err) != 11 || r.took < 1150*time.Millisecond {
		t.Fatalf("SendAll = %v after %v; CPython: BlockingIOError(11) after 1.32 s (0.5 s more wait after the send that made progress returned)", r.err, r.took.Round(10*time.Millisecond))
	}
}
