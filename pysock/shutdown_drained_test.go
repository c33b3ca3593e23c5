package pysock_test

import (
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// From the outside review of 1931212: a send woken while its buffer is
// no longer full. Bounded: a send still waiting is ended by closing its
// peer.

// A blocking SOCK_SEQPACKET send parks on a full send buffer; the peer
// then reads a few messages, which frees room below SO_SNDBUF but not
// enough for the socket to poll writable (unix_writable wants the queued
// memory at a quarter of SO_SNDBUF), so neither the kernel's sleeping send
// nor pysock's parked one wakes. The peer's shutdown(SHUT_RD) then wakes
// the kernel's send, which fails with EPIPE. pysock's wake-up
// (wakeParked) skips a non-stream send whose buffer is not full
// (sendBufferFull: SIOCOUTQ < SO_SNDBUF), so the send stays parked for as
// long as the peer keeps the socket open. The socket's own
// shutdown(SHUT_WR) is skipped the same way (seqpacket, and a datagram
// socketpair, whose sends wait on their own buffer too).
//
// python3 3.11 (a, b = socketpair(AF_UNIX, kind); a thread loops
// a.send(b'x'*1000); then b.recv(2000) x 3; then the shutdown):
//
//	sndbuf 212992, outq full 214272, after 3 reads 207360: the send still blocked
//	SOCK_SEQPACKET b.shutdown(SHUT_RD) -> BrokenPipeError(32, 'Broken pipe') at once (0.0 s)
//	SOCK_SEQPACKET a.shutdown(SHUT_WR) -> BrokenPipeError(32, 'Broken pipe') at once (0.0 s)
//	SOCK_DGRAM     a.shutdown(SHUT_WR) -> BrokenPipeError(32, 'Broken pipe') at once (0.0 s)
//	(SOCK_DGRAM b.shutdown(SHUT_RD) -> the send still waits, as pysock's does)
//
// The same holds for a seqpacket pair connected through a path.
func TestShutdownWakesPartlyDrainedSend(t *testing.T) {
	socketPair := func(kind pysock.SocketKind) func(t *testing.T) (a, b *pysock.Socket) {
		return func(t *testing.T) (a, b *pysock.Socket) {
			a, b, err := pysock.SocketPair(pysock.AF_UNIX, kind, 0)
			if err != nil {
				t.Fatal(err)
			}
			return a, b
		}
	}
	peerShutRD := func(a, b *pysock.Socket) error { return b.Shutdown(pysock.SHUT_RD) }
	ownShutWR := func(a, b *pysock.Socket) error { return a.Shutdown(pysock.SHUT_WR) }
	for _, tc := range []struct {
		name string
		pair func(t *testing.T) (a, b *pysock.Socket)
		shut func(a, b *pysock.Socket) error
	}{
		{"seqpacket socketpair peer SHUT_RD", socketPair(pysock.SOCK_SEQPACKET), peerShutRD},
		{"seqpacket path peer SHUT_RD", func(t *testing.T) (a, b *pysock.Socket) { return pysock.UnixPathPair(t, pysock.SOCK_SEQPACKET) }, peerShutRD},
		{"seqpacket own SHUT_WR", socketPair(pysock.SOCK_SEQPACKET), ownShutWR},
		{"dgram socketpair own SHUT_WR", socketPair(pysock.SOCK_DGRAM), ownShutWR},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := tc.pair(t)
			defer a.Close()
			defer b.Close()
			ch := sendLoopParked(t, a)
			for range 3 {
				if _, err := b.Recv(2000); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(50 * time.Millisecond)
			select {
			case r := <-ch:
				t.Fatalf("the send ended after 3 reads: %d, %v; CPython's still waits", r.n, r.err)
			default:
			}
			if err := tc.shut(a, b); err != nil {
				t.Fatal(err)
			}
			expectBrokenPipe(t, ch, b, "the shutdown, with the send buffer partly drained")
		})
	}
}
