package pysock_test

// Outside reviews of the change that leaves O_NONBLOCK set until a
// socket's number is given out (fdesc.pinned). The number also goes out
// where pysock shows it (a selector's key, poll's and epoll's events,
// repr): the flag read through it, and a socket made from it with fromfd,
// must be CPython's. A Fileno racing Close must not leave a dup's shared
// record wrong.

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

// The number a selector's key, poll's and epoll's events and repr() show
// reaches the description: its flag is CPython's there (clear in blocking
// mode), as python3 says at test time.
func TestPinnedShownNumbers(t *testing.T) {
	checkFDs(t)
	for _, c := range []struct {
		name, py string // py sets fd from the socketpair end a
		fd       func(t *testing.T, a *pysock.Socket) int
	}{
		{"SelectorKey.Fd", "sel = selectors.DefaultSelector(); fd = sel.register(a, selectors.EVENT_READ).fd",
			func(t *testing.T, a *pysock.Socket) int {
				sel, err := pysock.DefaultSelector()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { sel.Close() })
				key, err := sel.Register(a, pysock.EVENT_READ)
				if err != nil {
					t.Fatal(err)
				}
				return key.Fd
			}},
		{"poll's event", "p = select.poll(); p.register(a, select.POLLOUT); fd = p.poll(0)[0][0]",
			func(t *testing.T, a *pysock.Socket) int {
				p := pysock.Poll()
				if err := p.Register(a, pysock.POLLOUT); err != nil {
					t.Fatal(err)
				}
				evs, err := p.Poll(0) // a timeout of 0 never waits
				if err != nil || len(evs) != 1 {
					t.Fatalf("poll: %v %v", evs, err)
				}
				return evs[0].Fd
			}},
		{"epoll's event", "e = select.epoll(); e.register(a, select.EPOLLOUT); fd = e.poll(0)[0][0]",
			func(t *testing.T, a *pysock.Socket) int {
				ep, err := pysock.Epoll()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { ep.Close() })
				if err := ep.Register(a, pysock.EPOLLOUT); err != nil {
					t.Fatal(err)
				}
				evs, err := ep.Poll(0)
				if err != nil || len(evs) != 1 {
					t.Fatalf("epoll.poll: %v %v", evs, err)
				}
				return evs[0].Fd
			}},
		{"repr", `import re; fd = int(re.search(r'fd=(\d+)', repr(a)).group(1))`,
			func(t *testing.T, a *pysock.Socket) int {
				m := regexp.MustCompile(`fd=(\d+)`).FindStringSubmatch(a.Repr())
				if m == nil {
					t.Fatalf("no fd= in %s", a.Repr())
				}
				fd, _ := strconv.Atoi(m[1])
				return fd
			}},
	} {
		want := cpython(t, "import fcntl, os\na, b = socket.socketpair()\n"+c.py+
			"\nbool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)")
		a, _ := pinnedPair(t)
		got := "ok " + map[bool]string{true: "True", false: "False"}[reviewNB(t, c.fd(t, a))]
		if got != want {
			t.Errorf("pysock did: O_NONBLOCK read through the number %s shows for a blocking socket: %s; CPython: %s", c.name, got, want)
		}
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
	if got := recvAfterPark(t, c, b); got != want {
		t.Errorf("pysock did: blocking recv on fromfd(key.fd) = %s; CPython: %s", got, want)
	}
}

// recvAfterPark is s.Recv(10) in blocking mode, printed as the oracle
// prints CPython's result: peer sends "hi" once the call has parked, and
// a call that did not wait gives its own result.
func recvAfterPark(t *testing.T, s, peer *pysock.Socket) string {
	t.Helper()
	ch := goCall(func() result {
		d, err := s.Recv(10)
		return result{data: d, err: err}
	})
	r, early := parkedOrDone(t, "(*Socket).recvNew", ch)
	if !early {
		peer.Send([]byte("hi"))
		r = await(t, ch, "recv")
	}
	if r.err != nil {
		return excString(r.err)
	}
	return "ok b'" + string(r.data) + "'"
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
	if got := recvAfterPark(t, d, b); got != want {
		t.Errorf("pysock did: blocking recv on the dup after Fileno raced Close on the original = %s; CPython: %s", got, want)
	}
}
