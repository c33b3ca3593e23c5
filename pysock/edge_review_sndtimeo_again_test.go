package pysock_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// An outside review of b4c4781 (recvScratch's limit, recvfrom(0)'s
// result, notReady for datagram calls of 0 bytes, roomAtExpiry),
// 2026-12-03. The test failed on the code as reviewed ("pysock:" says
// what it did then). CPython 3.11.7 on Linux 6.18, each script run twice.
// The review's other finding, timeout-mode sends that the kernel accepts
// while poll(2) would not yet report the socket writable, is a known
// difference (docs/python-to-go.md).

// setSndTimeoFrom sets s's SO_SNDTIMEO from a goroutine other than the
// test's (no t.Fatal there).
func setSndTimeoFrom(s *pysock.Socket, d time.Duration) error {
	tv := make([]byte, 16)
	binary.NativeEndian.PutUint64(tv, uint64(d/time.Second))
	binary.NativeEndian.PutUint64(tv[8:], uint64((d%time.Second)/time.Microsecond))
	return s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDTIMEO, tv)
}

// TestSndtimeoChangedWhileWaiting: a blocking send with
// SO_SNDTIMEO 0.5 s on a full AF_UNIX socketpair; at 0.1 s the option is
// set to 0 ("no limit") or to a negative time ("do not wait"), at 0.2 s
// the peer reads one 65 536-byte chunk (room, but not the quarter that
// wakes the writer). The kernel's sock_wait_for_wmem waits with the timeo
// sock_alloc_send_pskb read when it began (0.5 s), and at its expiry
// looks once more and finds room: a seqpacket or datagram send sends its
// record; a stream send allocates that skb and waits for the next one
// with the option read afresh (0: no limit, until the peer drains at
// 1.5 s; negative: none, so it returns its part). roomAtExpiry instead
// makes the look depend on the option's current value
// (kernelTimeout(fd) > 0): with 0 (or a negative time, reported as 0) it
// finds "no time" and the call ends with EAGAIN, nothing sent.
//
// CPython 3.11 (fill: non-blocking sends of 65536 until EAGAIN):
//
//	a, b = socketpair(AF_UNIX, kind); fill(a)
//	a.setsockopt(SOL_SOCKET, SO_SNDTIMEO, struct.pack('ll', 0, 500000))
//	thread: sleep(0.1); a.setsockopt(..., struct.pack('ll', NEW, 0))
//	        sleep(0.1); b.recv(65536)
//	        (stream, NEW 0: sleep(1.3); b.settimeout(0.3); read until timeout)
//	a.send(b'y'*65536)   seqpacket NEW 0  -> 65536 after 0.51 s
//	a.send(b'y'*65536)   dgram     NEW 0  -> 65536 after 0.51 s
//	a.send(b'y'*(1<<20)) stream    NEW 0  -> 1048576 after 1.5 s
//	a.send(b'y'*65536)   seqpacket NEW -1 -> 65536 after 0.51 s
//	a.send(b'y'*(1<<20)) stream    NEW -1 -> 73088 after 0.51 s
//	(with NEW 2 the stream send gives 1048576 after 1.5 s: pysock agrees)
//
// pysock did: BlockingIOError(11) after 0.5 s in each case.
func TestSndtimeoChangedWhileWaiting(t *testing.T) {
	for _, tc := range []struct {
		name string
		kind pysock.SocketKind
		newt time.Duration
	}{
		{"seqpacket zeroed", pysock.SOCK_SEQPACKET, 0},
		{"dgram zeroed", pysock.SOCK_DGRAM, 0},
		{"stream zeroed", pysock.SOCK_STREAM, 0},
		{"seqpacket negative", pysock.SOCK_SEQPACKET, -time.Second},
		{"stream negative", pysock.SOCK_STREAM, -time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := fullSndtimeoPair(t, tc.kind, 500*time.Millisecond)
			stream := tc.kind == pysock.SOCK_STREAM
			done := make(chan error, 1)
			go func() {
				time.Sleep(100 * time.Millisecond)
				err := setSndTimeoFrom(a, tc.newt)
				time.Sleep(100 * time.Millisecond)
				b.Recv(65536)
				if stream && tc.newt == 0 {
					time.Sleep(1300 * time.Millisecond)
					b.SetTimeout(0.3)
					for {
						d, err := b.Recv(1 << 20)
						if err != nil || len(d) == 0 {
							break
						}
					}
				}
				done <- err
			}()
			size := 65536
			if stream {
				size = 1 << 20
			}
			ch := goCall(func() result {
				n, err := a.Send(make([]byte, size))
				return result{n: n, err: err}
			})
			r := await(t, ch, tc.name)
			if err := <-done; err != nil {
				t.Fatalf("setsockopt: %v", err)
			}
			want := size
			if stream && tc.newt < 0 {
				want = -1 // a part (CPython: 73088)
			}
			if r.err != nil || (want > 0 && r.n != want) || r.n <= 0 {
				t.Fatalf("send = %d, %v after %v; CPython: %s", r.n, r.err, r.took.Round(10*time.Millisecond),
					map[bool]string{true: "the part it sent (73088) after 0.51 s", false: "all of it"}[want < 0])
			}
		})
	}
}
