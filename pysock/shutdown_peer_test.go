package pysock_test

import (
	"testing"

	"github.com/pysock/pysock/pysock"
)

// The peer's shutdown(SHUT_RD) shuts an AF_UNIX stream or seqpacket
// socket's sending side: the kernel wakes its blocking send, which fails
// with BrokenPipeError. epoll reports no event for it; for the two ends of
// a SocketPair pysock wakes the send itself.
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
			ch := goCall(func() result {
				for {
					n, err := a.Send(make([]byte, 1000))
					if err != nil {
						return result{n: n, err: err}
					}
				}
			})
			waitParked(t, "pysock.(*Socket).Send")
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
