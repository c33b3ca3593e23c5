package pysock_test

// Outside review of 2b7b4b0 ("leave O_NONBLOCK set until a socket's number
// is given out"). The commit pins a description (clears the kernel flag in
// blocking mode) only in Fileno, Detach, Conn.SyscallConn and
// SetInheritable(true); but the number is given out by other calls too:
// a selector's key (SelectorKey.Fd), poll's and epoll's (fd, events)
// pairs, and repr(). Through each of them the user reads O_NONBLOCK set on
// a blocking-mode socket, and a socket made from that number with fromfd
// raises BlockingIOError where CPython's waits.

import (
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// reviewNB reads the kernel O_NONBLOCK flag of the number fd.
func reviewNB(t *testing.T, fd int) bool {
	t.Helper()
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		t.Fatalf("fcntl(%d, F_GETFL): %v", fd, err)
	}
	return fl&unix.O_NONBLOCK != 0
}

func pinnedPair(t *testing.T) (*pysock.Socket, *pysock.Socket) {
	t.Helper()
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// CPython:
//
//	>>> a, b = socket.socketpair()
//	>>> sel = selectors.DefaultSelector(); key = sel.register(a, selectors.EVENT_READ)
//	>>> bool(fcntl.fcntl(key.fd, fcntl.F_GETFL) & os.O_NONBLOCK)
//	False
func TestPinnedSelectorKeyFd(t *testing.T) {
	checkFDs(t)
	want := cpython(t, `import fcntl, os
a, b = socket.socketpair()
sel = selectors.DefaultSelector(); key = sel.register(a, selectors.EVENT_READ)
bool(fcntl.fcntl(key.fd, fcntl.F_GETFL) & os.O_NONBLOCK)`)
	a, _ := pinnedPair(t)
	sel, err := pysock.DefaultSelector()
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	key, err := sel.Register(a, pysock.EVENT_READ)
	if err != nil {
		t.Fatal(err)
	}
	got := "ok " + map[bool]string{true: "True", false: "False"}[reviewNB(t, key.Fd)]
	if got != want {
		t.Errorf("pysock did: O_NONBLOCK read through SelectorKey.Fd of a blocking socket: %s; CPython: %s", got, want)
	}
}

// CPython:
//
//	>>> a, b = socket.socketpair()
//	>>> p = select.poll(); p.register(a, select.POLLOUT); fd = p.poll(0)[0][0]
//	>>> bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)
//	False
func TestPinnedPollEventFd(t *testing.T) {
	checkFDs(t)
	want := cpython(t, `import fcntl, os
a, b = socket.socketpair()
p = select.poll(); p.register(a, select.POLLOUT); fd = p.poll(0)[0][0]
bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)`)
	a, _ := pinnedPair(t)
	p := pysock.Poll()
	if err := p.Register(a, pysock.POLLOUT); err != nil {
		t.Fatal(err)
	}
	evs, err := p.Poll(0) // a timeout of 0 never waits
	if err != nil || len(evs) != 1 {
		t.Fatalf("poll: %v %v", evs, err)
	}
	got := "ok " + map[bool]string{true: "True", false: "False"}[reviewNB(t, evs[0].Fd)]
	if got != want {
		t.Errorf("pysock did: O_NONBLOCK read through the fd poll() returned for a blocking socket: %s; CPython: %s", got, want)
	}
}

// CPython:
//
//	>>> a, b = socket.socketpair()
//	>>> e = select.epoll(); e.register(a, select.EPOLLOUT); fd = e.poll(0)[0][0]
//	>>> bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)
//	False
func TestPinnedEpollEventFd(t *testing.T) {
	checkFDs(t)
	want := cpython(t, `import fcntl, os
a, b = socket.socketpair()
e = select.epoll(); e.register(a, select.EPOLLOUT); fd = e.poll(0)[0][0]
bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)`)
	a, _ := pinnedPair(t)
	ep, err := pysock.Epoll()
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	if err := ep.Register(a, pysock.EPOLLOUT); err != nil {
		t.Fatal(err)
	}
	evs, err := ep.Poll(0)
	if err != nil || len(evs) != 1 {
		t.Fatalf("epoll.poll: %v %v", evs, err)
	}
	got := "ok " + map[bool]string{true: "True", false: "False"}[reviewNB(t, evs[0].Fd)]
	if got != want {
		t.Errorf("pysock did: O_NONBLOCK read through the fd epoll.poll() returned for a blocking socket: %s; CPython: %s", got, want)
	}
}

// repr(sock) gives the number out too ("fd=3").
//
// CPython:
//
//	>>> a, b = socket.socketpair()
//	>>> fd = int(re.search(r'fd=(\d+)', repr(a)).group(1))
//	>>> bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)
//	False
func TestPinnedReprFd(t *testing.T) {
	checkFDs(t)
	want := cpython(t, `import fcntl, os, re
a, b = socket.socketpair()
fd = int(re.search(r'fd=(\d+)', repr(a)).group(1))
bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)`)
	a, _ := pinnedPair(t)
	m := regexp.MustCompile(`fd=(\d+)`).FindStringSubmatch(a.Repr())
	if m == nil {
		t.Fatalf("no fd= in %s", a.Repr())
	}
	fd, _ := strconv.Atoi(m[1])
	got := "ok " + map[bool]string{true: "True", false: "False"}[reviewNB(t, fd)]
	if got != want {
		t.Errorf("pysock did: O_NONBLOCK read through the fd in repr() of a blocking socket: %s; CPython: %s", got, want)
	}
}

// A socket made with fromfd from the number a selector's key gives is a
// blocking socket on a blocking description in CPython: its recv waits for
// data. In pysock the description still has O_NONBLOCK (never pinned), so
// the new socket's blocking recv fails at once.
//
// CPython:
//
//	>>> a, b = socket.socketpair()
//	>>> sel = selectors.DefaultSelector(); key = sel.register(a, selectors.EVENT_READ)
//	>>> c = socket.fromfd(key.fd, socket.AF_UNIX, socket.SOCK_STREAM)
//	>>> threading.Timer(0.2, lambda: b.send(b'hi')).start(); c.recv(10)
//	b'hi'
func TestPinnedFromSelectorKeyRecvWaits(t *testing.T) {
	checkFDs(t)
	want := cpython(t, `import threading
a, b = socket.socketpair()
sel = selectors.DefaultSelector(); key = sel.register(a, selectors.EVENT_READ)
c = socket.fromfd(key.fd, socket.AF_UNIX, socket.SOCK_STREAM)
threading.Timer(0.2, lambda: b.send(b'hi')).start()
c.recv(10)`)
	a, b := pinnedPair(t)
	sel, err := pysock.DefaultSelector()
	if err != nil {
		t.Fatal(err)
	}
	defer sel.Close()
	key, err := sel.Register(a, pysock.EVENT_READ)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pysock.FromFd(key.Fd, pysock.AF_UNIX, pysock.SOCK_STREAM)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ch := goCall(func() result {
		d, err := c.Recv(10)
		return result{data: d, err: err}
	})
	r, early := parkedOrDone(t, "(*Socket).recvNew", ch)
	if !early {
		b.Send([]byte("hi"))
		r = await(t, ch, "recv on the fromfd socket")
	}
	got := "ok b'" + string(r.data) + "'"
	if r.err != nil {
		got = excString(r.err)
	}
	if got != want {
		t.Errorf("pysock did: blocking recv on fromfd(key.fd) = %s; CPython: %s", got, want)
	}
}

// parkedOrDone waits until a goroutine is parked in fn, or the call whose
// result ch brings has returned without waiting (early).
func parkedOrDone(t *testing.T, fn string, ch <-chan result) (r result, early bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	buf := make([]byte, 1<<20)
	for time.Now().Before(deadline) {
		select {
		case r := <-ch:
			return r, true
		default:
		}
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, fn) && parked(g) {
				return result{}, false
			}
		}
		time.Sleep(time.Millisecond) // polling for a condition, bounded
	}
	t.Fatalf("%s neither parked nor returned", fn)
	return result{}, false
}

// Fileno racing Close on a socket with a dup: expose on the closed handle
// marked the shared record given out while its flag stayed set, so the
// dup's blocking recv read the flag when it would wait and raised
// BlockingIOError. (Second outside review; the interleaving is forced with
// the handle Fileno would hold.)
//
// CPython:
//
//	>>> a, b = socket.socketpair(); d = a.dup(); a.close()
//	>>> threading.Timer(0.2, lambda: b.send(b'hi')).start(); d.recv(10)
//	b'hi'
func TestPinnedExposeAfterCloseDupRecvWaits(t *testing.T) {
	checkFDs(t)
	want := cpython(t, `import threading
a, b = socket.socketpair(); d = a.dup(); a.close()
threading.Timer(0.2, lambda: b.send(b'hi')).start()
d.recv(10)`)
	a, b := pinnedPair(t)
	d, err := a.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	h := pysock.HandleOf(a) // Fileno loads the handle
	a.Close()               // another goroutine's Close lands here
	pysock.Expose(h)        // Fileno goes on: expose
	ch := goCall(func() result {
		data, err := d.Recv(10)
		return result{data: data, err: err}
	})
	r, early := parkedOrDone(t, "(*Socket).recvNew", ch)
	if !early {
		b.Send([]byte("hi"))
		r = await(t, ch, "recv on the dup")
	}
	got := "ok b'" + string(r.data) + "'"
	if r.err != nil {
		got = excString(r.err)
	}
	if got != want {
		t.Errorf("pysock did: blocking recv on the dup after Fileno raced Close on the original = %s; CPython: %s", got, want)
	}
}
