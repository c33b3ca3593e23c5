package pysock_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// An outside review of f6bac62 (prepareLooks), 4223102 (recv(n) into
// per-P scratch buffers) and cb59091 (SO_SNDTIMEO restarts on AF_UNIX
// stream sends), 2026-12-03. Each test failed on the code as reviewed
// ("pysock:" says what it did then); the first two were new in 4223102.

// TestRecvLargeAfterWait: recv(100000) / recvfrom(100000) on an
// AF_UNIX datagram socketpair, parked (nothing queued), then the peer sends
// one 80 000-byte datagram. The first attempt's recvNew finds less than
// 64 KiB queued (nothing) and sets st.n = scratchSize (recvsize.go:
// "little queued: the scratch buffer does"), overwriting the caller's
// bufsize in the call's state; every later attempt (after the spin, after
// the park) sees st.n <= scratchSize and receives into a 64 KiB window: the
// datagram is cut to 65 536 bytes and the rest is lost.
//
// CPython 3.11:
//
//	a, b = socket.socketpair(AF_UNIX, SOCK_DGRAM)
//	thread: len(a.recv(100000)); sleep(0.2); b.send(b'x'*80000)    -> 80000
//	thread: a.recvfrom(100000); sleep(0.2); b.send(b'y'*70000)     -> 70000 None
//	a.settimeout(5); thread: a.recv(100000); b.send(b'z'*90000)    -> 90000
//
// pysock: 65536 each time.
func TestRecvLargeAfterWait(t *testing.T) {
	for _, tc := range []struct {
		name    string
		timeout any
		from    bool
		size    int
	}{
		{"recv blocking", nil, false, 80000},
		{"recvfrom blocking", nil, true, 70000},
		{"recv timeout", 5.0, false, 90000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := unixPairOf(t, pysock.SOCK_DGRAM)
			defer b.Close()
			defer a.Close()
			if err := a.SetTimeout(tc.timeout); err != nil {
				t.Fatal(err)
			}
			ch := goCall(func() result {
				var d []byte
				var err error
				if tc.from {
					d, _, err = a.RecvFrom(100000)
				} else {
					d, err = a.Recv(100000)
				}
				return result{n: len(d), data: d, err: err}
			})
			waitParked(t, "pysock.(*Socket).recvNew")
			time.Sleep(50 * time.Millisecond) // past any spin
			msg := make([]byte, tc.size)
			for i := range msg {
				msg[i] = byte(i)
			}
			if _, err := b.Send(msg); err != nil {
				t.Fatal(err)
			}
			r := await(t, ch, tc.name)
			if r.err != nil || r.n != tc.size || !bytes.Equal(r.data, msg) {
				t.Fatalf("got %d bytes, %v; CPython: %d bytes, the datagram", r.n, r.err, tc.size)
			}
		})
	}
}

// TestRecvFromZeroTrunc: recvfrom(0, MSG_TRUNC) on a datagram
// socket returns as many bytes as the datagram had (CPython resizes its
// empty result to the length recvfrom(2) returned, contents unset). The
// scratch rewrite's recvScratch makes the st.n == 0 syscall with no buffer
// and sets no st.buf, so newResult returns st.buf (nil): zero bytes.
// Before 4223102 the small path allocated the reported length.
//
// CPython 3.11:
//
//	a, b = socket.socketpair(AF_UNIX, SOCK_DGRAM); b.send(b'hello')
//	d = a.recvfrom(0, socket.MSG_TRUNC); len(d[0])      -> 5
//	u1 (UDP, bound 127.0.0.1); u2.sendto(b'abcdefg', ...)
//	d = u1.recvfrom(0, socket.MSG_TRUNC); len(d[0])     -> 7, addr 127.0.0.1
//
// pysock: 0 bytes.
func TestRecvFromZeroTrunc(t *testing.T) {
	a, b := unixPairOf(t, pysock.SOCK_DGRAM)
	defer b.Close()
	defer a.Close()
	if _, err := b.Send([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	r := watchdog(t, 5*time.Second, "recvfrom(0, MSG_TRUNC)", func() result {
		d, _, err := a.RecvFrom(0, pysock.MSG_TRUNC)
		return result{data: d, err: err}
	})
	if r.err != nil || len(r.data) != 5 {
		t.Fatalf("recvfrom(0, MSG_TRUNC) = %d bytes, %v; CPython: 5 bytes", len(r.data), r.err)
	}
}

// TestRecvFromZeroTimeoutConsumes: timeout mode (settimeout(1.0)),
// one datagram queued on an AF_UNIX datagram socketpair, recvfrom(0).
// recvfrom(2) consumes the datagram and returns 0; doRead's notReady then
// takes "0 bytes moved, 0 asked" for a call CPython would not have made,
// polls, finds the socket no longer readable (the datagram is gone) and
// parks: the call times out, with the datagram lost. CPython polled before
// the call (readable), so it returns at once.
//
// CPython 3.11:
//
//	a, b = socket.socketpair(AF_UNIX, SOCK_DGRAM); a.settimeout(1.0)
//	b.send(b'only'); a.recvfrom(0)   -> (b'', None) in 0.0 s
//
// pysock: TimeoutError after 1 s. (The notReady rule predates 4223102;
// recvfrom(0)'s scratch-less path keeps it.)
func TestRecvFromZeroTimeoutConsumes(t *testing.T) {
	a, b := unixPairOf(t, pysock.SOCK_DGRAM)
	defer b.Close()
	defer a.Close()
	if err := a.SetTimeout(1.0); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Send([]byte("only")); err != nil {
		t.Fatal(err)
	}
	r := watchdog(t, 5*time.Second, "recvfrom(0)", func() result {
		start := time.Now()
		d, _, err := a.RecvFrom(0)
		return result{data: d, err: err, took: time.Since(start)}
	})
	if r.err != nil || len(r.data) != 0 || r.took > 500*time.Millisecond {
		t.Fatalf("recvfrom(0): %q, %v after %v; CPython: (b'', None) at once", r.data, r.err, r.took)
	}
}

// TestSndtimeoUnixRoomAtExpiry: a blocking send(1 MiB) with
// SO_SNDTIMEO 0.5 s on a full AF_UNIX stream socketpair whose peer reads
// 65 536 bytes once, at 0.2 s: not enough to make the socket writable
// (a quarter of SO_SNDBUF), so nothing wakes the sender, but the queue is
// then below SO_SNDBUF. The kernel's sock_alloc_send_pskb, when its
// sock_wait_for_wmem time runs out, loops once more and finds room
// (sk_wmem_alloc < sk_sndbuf): it allocates the skb, and
// unix_stream_sendmsg waits for the next one with the whole time again;
// the send returns its part when that second time passes. sendall's first
// send does the same, and its next send times out 0.5 s later. pysock
// ends the call when the first deadline passes (kernelTimedOut: EAGAIN,
// nothing sent) - deadlineMoved and sendAllGoesOn only go on after
// progress, and there was none before the expiry.
//
// CPython 3.11 (a full socketpair, fill as fill() does):
//
//	a.setsockopt(SOL_SOCKET, SO_SNDTIMEO, struct.pack('ll', 0, 500000))
//	thread: sleep(0.2); b.recv(65536)
//	a.send(b'y'*(1<<20))    -> 73088 after 1.02 s (2 runs)
//	a.sendall(b'y'*(1<<20)) -> BlockingIOError(11) after 1.54 s (2 runs)
//
// A SOCK_SEQPACKET send (unix_dgram_sendmsg: one sock_alloc_send_pskb)
// does the same at its one expiry:
//
//	a, b = socketpair(AF_UNIX, SOCK_SEQPACKET); 4 records of 65536 fill it
//	thread: sleep(0.2); b.recv(65536)
//	a.send(b'y'*65536)      -> 65536 after 0.51 s (2 runs)
//
// pysock: each BlockingIOError(11) after 0.5 s. TCP is right (CPython:
// BlockingIOError(11) after 0.51 s, as tcp_sendmsg gives up at expiry).
// Not new in cb59091, which restarts the time only after progress.
func TestSndtimeoUnixRoomAtExpiry(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind pysock.SocketKind
		all  bool
		size int
	}{
		{"stream send", pysock.SOCK_STREAM, false, 1 << 20},
		{"stream sendall", pysock.SOCK_STREAM, true, 1 << 20},
		{"seqpacket send", pysock.SOCK_SEQPACKET, false, 65536},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := fullSndtimeoPair(t, tc.kind, 500*time.Millisecond)
			read := make(chan struct{})
			go func() {
				defer close(read)
				time.Sleep(200 * time.Millisecond)
				b.Recv(65536)
			}()
			defer func() { <-read }()
			ch := goCall(func() result {
				if tc.all {
					err := a.SendAll(make([]byte, tc.size))
					return result{err: err}
				}
				n, err := a.Send(make([]byte, tc.size))
				return result{n: n, err: err}
			})
			r := await(t, ch, tc.name)
			switch {
			case tc.all:
				if errnoOf(r.err) != 11 || r.took < 1400*time.Millisecond {
					t.Fatalf("sendall = %v after %v; CPython: BlockingIOError(11) after 1.54 s", r.err, r.took.Round(10*time.Millisecond))
				}
			case tc.kind == pysock.SOCK_STREAM:
				if r.err != nil || r.n == 0 || r.took < 900*time.Millisecond {
					t.Fatalf("send = %d, %v after %v; CPython: 73088 after 1.02 s", r.n, r.err, r.took.Round(10*time.Millisecond))
				}
			default:
				if r.err != nil || r.n != tc.size {
					t.Fatalf("send = %d, %v after %v; CPython: 65536 after 0.51 s", r.n, r.err, r.took.Round(10*time.Millisecond))
				}
			}
		})
	}
}
