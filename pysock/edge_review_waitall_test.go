package pysock_test

// An outside review of ebe82de (large recv), 793fef0 (MSG_WAITALL on
// AF_UNIX stream: peek, then one real call) and d863038 (select and the
// selectors), against CPython 3.11.7 on Linux 6.18, 2026-12-03. Every
// test here failed on the code reviewed; the Python snippet and its
// output are in the comment above each. All the failures were in
// 793fef0's unixGlue (waitall_unix_linux.go) and its hook in doRead.
// (One more it found is a documented difference: a concurrent receive
// can take bytes such a receive has peeked, docs/porting.md.)

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// reviewCall runs fn in a goroutine. If it has not returned after d, the
// sockets are closed (the call then ends on the closed socket) and the
// test fails as a hang.
func reviewCall(t *testing.T, d time.Duration, what string, fn func() result, socks ...*pysock.Socket) result {
	t.Helper()
	ch := goCall(fn)
	select {
	case r := <-ch:
		return r
	case <-time.After(d):
		for _, s := range socks {
			s.Close()
		}
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
		}
		t.Fatalf("%s: still waiting after %v (hang)", what, d)
		return result{}
	}
}

// reviewParkedOrDone waits until a goroutine is parked in fn or ch has a
// result: done reports the latter (the call returned without waiting).
func reviewParkedOrDone(t *testing.T, ch <-chan result, fn string) (r result, done bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case r := <-ch:
			return r, true
		default:
		}
		if countParked(fn) > 0 {
			return result{}, false
		}
		time.Sleep(time.Millisecond) // polling for a condition, bounded
	}
	t.Fatalf("neither parked in %s nor returned", fn)
	return result{}, false
}

// A segment that carried descriptors and is the last one queued: the
// kernel's blocking MSG_WAITALL call stops after it (unix_stream_read_generic:
// "if (scm.fp) break"). unixGlue peeks: the peek also stops there, but it
// has everything queued (n == SIOCINQ), so it is not taken for a stop, and
// the socket has not ended: glueWait. The call waits for bytes that the
// kernel's call never waits for (a hang until the peer sends more).
// recvmsg matched before 793fef0 (the gather stopped at the control
// data) and hangs since; recv hung before too (the gather saw no
// control data), and still does, though 793fef0 says it stops there.
//
//	a, b = socket.socketpair()
//	socket.send_fds(a, [b'ab'], [0])
//	b.recv(10, socket.MSG_WAITALL)                  -> b'ab'  (at once)
//	socket.send_fds(a, [b'ab'], [0])
//	b.recvmsg(10, 256, socket.MSG_WAITALL)          -> b'ab' [(1, 1, 4)]  (at once)
func TestWaitAllUnixDescriptorsLastHang(t *testing.T) {
	for _, msg := range []bool{false, true} {
		name := "recv"
		if msg {
			name = "recvmsg"
		}
		t.Run(name, func(t *testing.T) {
			a, b := pair(t)
			defer a.Close()
			defer b.Close()
			if _, err := pysock.SendFds(a, [][]byte{[]byte("ab")}, []int{0}); err != nil {
				t.Fatal(err)
			}
			r := reviewCall(t, 3*time.Second, name+"(10, MSG_WAITALL)", func() result {
				if msg {
					m, err := b.RecvMsg(10, 256, pysock.MSG_WAITALL)
					for _, an := range m.AncData {
						if an.Level == pysock.SOL_SOCKET && an.Type == pysock.SCM_RIGHTS {
							for i := 0; i+4 <= len(an.Data); i += 4 {
								unix.Close(int(int32(binary.NativeEndian.Uint32(an.Data[i:]))))
							}
						}
					}
					return result{data: m.Data, err: err}
				}
				d, err := b.Recv(10, pysock.MSG_WAITALL)
				return result{data: d, err: err}
			}, a, b)
			if r.err != nil || string(r.data) != "ab" {
				t.Fatalf("got %q, %v; CPython: b'ab' at once", r.data, r.err)
			}
		})
	}
}

// The peer closed with data of ours unread: our socket has ECONNRESET
// pending (sk_err) and is shut down. The kernel's blocking recv, with or
// without MSG_WAITALL, finds nothing queued and returns the error
// (sock_error, which clears it); the next call gets empty bytes. unixGlue's peek
// makes that same sock_error call: the peek consumes the error, unixGlue
// says glueNow, and the real call then finds no error and the shutdown:
// empty bytes. The ConnectionResetError is lost.
//
//	a, b = socket.socketpair()
//	a.send(b'x'); b.close()
//	a.recv(10, socket.MSG_WAITALL)
//	-> ConnectionResetError(104, 'Connection reset by peer')
//	a.recv(10, socket.MSG_WAITALL)   (the next call)
//	-> b''
func TestWaitAllUnixResetLost(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	if _, err := a.Send([]byte("x")); err != nil {
		t.Fatal(err)
	}
	b.Close()
	r := reviewCall(t, 3*time.Second, "recv(10, MSG_WAITALL)", func() result {
		d, err := a.Recv(10, pysock.MSG_WAITALL)
		return result{data: d, err: err}
	}, a)
	var ce *pyerr.ConnectionResetError
	if !errors.As(r.err, &ce) || errnoOf(r.err) != 104 || r.err.Error() != "[Errno 104] Connection reset by peer" {
		t.Fatalf("got %q, %v; CPython: ConnectionResetError: [Errno 104] Connection reset by peer", r.data, r.err)
	}
}

// A socket whose number was given out, O_NONBLOCK then set through the
// number. CPython's recv (timeout None) makes the kernel's call, which on
// the non-blocking flag returns what is queued. pysock's look finds the
// flag at the first glueWait (errnoLook) and clears st.wait, but st.emu
// stays set, so waitAll() still holds and the next attempt goes through
// unixGlue again: glueWait, st.arm(), park on the poller. It waits for
// more data; with nothing queued at all it would wait where CPython
// raises BlockingIOError(11).
//
//	a, b = socket.socketpair()
//	a.send(b'ab')
//	os.set_blocking(b.fileno(), False)       # b.gettimeout() is still None
//	b.recv(10, socket.MSG_WAITALL)           -> b'ab'  (at once)
//	b.recv(10, socket.MSG_WAITALL)           -> BlockingIOError(11, 'Resource temporarily unavailable')
func TestWaitAllUnixNonBlockingThroughNumberHang(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	fd := b.Fileno()
	if _, err := a.Send([]byte("ab")); err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		t.Fatal(err)
	}
	r := reviewCall(t, 3*time.Second, "recv(10, MSG_WAITALL)", func() result {
		d, err := b.Recv(10, pysock.MSG_WAITALL)
		return result{data: d, err: err}
	}, a, b)
	if r.err != nil || string(r.data) != "ab" {
		t.Fatalf("got %q, %v; CPython: b'ab' at once", r.data, r.err)
	}
}

// AF_UNIX MSG_OOB (Linux 5.15+): the out-of-band byte stays in the queue
// as its own segment, which SIOCINQ counts, while a read (and a peek)
// skips it. With the OOB byte first and b'de' after it, the peek returns
// 2 of the 3 bytes SIOCINQ reports, which unixGlue takes for a stop
// before the end of what is queued (glueNow): the real MSG_DONTWAIT call
// returns b'de' at once. The kernel's blocking call skips the OOB byte,
// copies b'de' and waits for the rest of its 10 bytes.
//
//	a, b = socket.socketpair()
//	a.send(b'c', socket.MSG_OOB); a.send(b'de')
//	t1: b.recv(10, socket.MSG_WAITALL)      # in a thread
//	after 0.3 s                             -> still waiting
//	a.send(b'fghijklm')
//	t1                                      -> b'defghijklm'
func TestWaitAllUnixOOBTakenForStop(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	if _, err := a.Send([]byte("c"), pysock.MSG_OOB); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Send([]byte("de")); err != nil {
		t.Fatal(err)
	}
	ch := goCall(func() result {
		d, err := b.Recv(10, pysock.MSG_WAITALL)
		return result{data: d, err: err}
	})
	if r, done := reviewParkedOrDone(t, ch, "pysock.(*Socket).recvNew"); done {
		t.Fatalf("returned %q, %v without waiting; CPython waits for the rest of the 10 bytes", r.data, r.err)
	}
	if _, err := a.Send([]byte("fghijklm")); err != nil {
		t.Fatal(err)
	}
	var r result
	select {
	case r = <-ch:
	case <-time.After(10 * time.Second):
		b.Close() // the watchdog
		t.Fatal("MSG_WAITALL receive still waiting with its 10 bytes queued (hang)")
	}
	if r.err != nil || string(r.data) != "defghijklm" {
		t.Fatalf("got %q, %v; CPython: b'defghijklm'", r.data, r.err)
	}
}
