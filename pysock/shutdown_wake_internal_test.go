package pysock

import (
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// stackHas reports whether some goroutine's stack contains all of subs.
func stackHas(subs ...string) bool {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	for _, g := range strings.Split(string(buf[:n]), "\n\n") {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(g, s)
		}
		if ok {
			return true
		}
	}
	return false
}

// A shutdown that lands between a blocking send's EAGAIN and the moment
// the send lists itself on the description (parkWrite) finds nothing to
// wake: the send must see it before it parks (parkWrite compares the
// description's shutdown count with the one read before the attempt), as
// the kernel's send checks SEND_SHUTDOWN after prepare_to_wait. The window
// is made wide here by holding the write side's dlmu, which arm
// (SO_SNDTIMEO: a timed blocking call) takes just before parkWrite; in the
// untimed case it is a preemption between sendto and parkWrite.
//
// python3 (a: AF_UNIX stream, filled, blocking, SO_SNDTIMEO 5 s):
//
//	thread: a.send(b'y'*100); main: a.shutdown(SHUT_WR) at any moment
//	-> BrokenPipeError(32, 'Broken pipe') at once (0.0 s after the shutdown)
//	the same with the peer's b.shutdown(SHUT_RD) (b a socketpair's other
//	end, or connected to a through a path) -> BrokenPipeError(32) at once
func TestShutdownBeforeParkWrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		pair func(t *testing.T) (a, b *Socket)
		shut func(a, b *Socket) error
	}{
		{"own SHUT_WR", socketPair, func(a, b *Socket) error { return a.Shutdown(SHUT_WR) }},
		{"peer SHUT_RD", socketPair, func(a, b *Socket) error { return b.Shutdown(SHUT_RD) }},
		{"path peer SHUT_RD", pathPair, func(a, b *Socket) error { return b.Shutdown(SHUT_RD) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := tc.pair(t)
			defer a.Close()
			defer b.Close()
			shutdownBeforeParkWrite(t, a, func() error { return tc.shut(a, b) })
		})
	}
}

func socketPair(t *testing.T) (a, b *Socket) {
	a, b, err := SocketPair(AF_UNIX, SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// pathPair is a connected AF_UNIX stream pair made through a path.
func pathPair(t *testing.T) (a, b *Socket) { return UnixPathPair(t, SOCK_STREAM) }

// shutdownBeforeParkWrite fills a and starts a blocking send on it, holds
// it between its EAGAIN and its listing, and calls shut there.
func shutdownBeforeParkWrite(t *testing.T, a *Socket, shut func() error) {
	tv := make([]byte, 16)
	binary.NativeEndian.PutUint64(tv, 5)
	if err := a.SetSockOpt(SOL_SOCKET, SO_SNDTIMEO, tv); err != nil {
		t.Fatal(err)
	}
	a.SetBlocking(false)
	for {
		if _, err := a.Send(make([]byte, 65536)); err != nil {
			break
		}
	}
	a.SetBlocking(true)

	st := &a.w.st
	st.dlmu.Lock()
	locked := true
	defer func() {
		if locked {
			st.dlmu.Unlock()
		}
	}()
	type res struct {
		n   int
		err error
		at  time.Time
	}
	ch := make(chan res, 1)
	go func() {
		n, err := a.Send(make([]byte, 100))
		ch <- res{n, err, time.Now()}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !stackHas("armNow", "pysock.(*Socket).Send") {
		if time.Now().After(deadline) {
			t.Fatal("the send never reached arm")
		}
		time.Sleep(time.Millisecond)
	}
	// The send has had EAGAIN and waits to arm; shutdown now.
	if err := shut(); err != nil {
		t.Fatal(err)
	}
	shutAt := time.Now()
	st.dlmu.Unlock()
	locked = false
	select {
	case r := <-ch:
		var e syscall.Errno
		if oe := (*pyerr.OSError)(nil); errors.As(r.err, &oe) && oe.HasErrno {
			e = syscall.Errno(oe.Errno)
		}
		if e != syscall.EPIPE {
			t.Fatalf("send = %d, %v (%v after the shutdown); want BrokenPipeError(32) at once", r.n, r.err, r.at.Sub(shutAt))
		}
	case <-time.After(2 * time.Second):
		r := <-ch // SO_SNDTIMEO (5 s) ends it
		t.Fatalf("send still parked 2 s after the shutdown (ended by SO_SNDTIMEO: %d, %v, %v after the shutdown); CPython: BrokenPipeError(32) at once", r.n, r.err, r.at.Sub(shutAt).Round(time.Millisecond))
	}
}

// TestTimedSendWokenKeepsItsDeadline: a blocking send with SO_SNDTIMEO
// (its deadline in the deadline heap), woken by a shutdown that did not
// concern it (the wake-all of a process whose kernel cannot name a
// shutdown's peer), parks again and still times out when its own time
// ends: neither earlier (the wake-up's past deadline left on the poller)
// nor never (its deadline lost).
//
// python3 3.11: a.setsockopt(SOL_SOCKET, SO_SNDTIMEO, 0.5 s); a.send(b'y'*100)
// on a full socketpair, another pair's peer shut down after 0.15 s ->
// BlockingIOError(11, 'Resource temporarily unavailable') after 0.51 s.
func TestTimedSendWokenKeepsItsDeadline(t *testing.T) {
	was := diagBroken.Swap(true) // every peer shutdown wakes every parked send
	defer diagBroken.Store(was)
	a, b := socketPair(t)
	defer b.Close()
	defer a.Close()
	fillSendBuffer(t, a)
	const timeout = 500 * time.Millisecond
	tv := make([]byte, 16)
	binary.NativeEndian.PutUint64(tv[8:], uint64(timeout/time.Microsecond))
	if err := a.SetSockOpt(SOL_SOCKET, SO_SNDTIMEO, tv); err != nil {
		t.Fatal(err)
	}
	d := a.h.Load().desc
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := a.Send(make([]byte, 100))
		done <- err
	}()
	waitParkedCount(t, d, 1)
	before := d.shutdowns.Load()
	x, y := socketPair(t)
	if err := y.Shutdown(unix.SHUT_RD); err != nil {
		t.Fatal(err)
	}
	x.Close()
	y.Close()
	if d.shutdowns.Load() == before {
		t.Fatal("the other pair's shutdown did not wake the send: the test needs the wake-all")
	}
	select {
	case err := <-done:
		took := time.Since(start)
		var oe *pyerr.OSError
		if !errors.As(err, &oe) || oe.Errno != int(unix.EAGAIN) {
			t.Fatalf("send = %v after %v, want BlockingIOError(11)", err, took)
		}
		if took < timeout {
			t.Fatalf("send timed out after %v, before its SO_SNDTIMEO (%v)", took, timeout)
		}
	case <-time.After(timeout + 5*time.Second):
		b.Close()
		<-done
		t.Fatal("the send did not time out 5 s after its SO_SNDTIMEO")
	}
}
