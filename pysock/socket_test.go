package pysock_test

import (
	"errors"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/leakcheck"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// checkFDs fails the test if it leaves more fds or goroutines than it
// found.
func checkFDs(t *testing.T) { leakcheck.Track(t) }

func osThreads(t testing.TB) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Fatal("no Threads line")
	return 0
}

func pair(t testing.TB) (*pysock.Socket, *pysock.Socket) {
	t.Helper()
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// TestBlockingRecvScale: 2000 goroutines blocked in blocking-mode recv (the
// kernel flag cleared, as CPython leaves it) park on the runtime poller and
// hold few OS threads; every one then gets its byte.
func TestBlockingRecvScale(t *testing.T) {
	checkFDs(t)
	const n = 2000
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < 2*n+100 {
		t.Skipf("RLIMIT_NOFILE %d too low for %d socket pairs", lim.Cur, n)
	}
	type conn struct{ a, b *pysock.Socket }
	conns := make([]conn, n)
	for i := range conns {
		conns[i].a, conns[i].b = pair(t)
	}
	defer func() {
		for _, c := range conns {
			c.a.Close()
			c.b.Close()
		}
	}()
	fl, _ := unix.FcntlInt(uintptr(conns[0].a.Fileno()), unix.F_GETFL, 0)
	if fl&unix.O_NONBLOCK != 0 {
		t.Fatal("blocking-mode socket must have O_NONBLOCK cleared")
	}
	var wg sync.WaitGroup
	started := make(chan struct{}, n)
	errs := make(chan error, n)
	for _, c := range conns {
		wg.Add(1)
		go func(s *pysock.Socket) {
			defer wg.Done()
			started <- struct{}{}
			b, err := s.Recv(1)
			if err == nil && string(b) != "x" {
				err = errors.New("wrong data " + string(b))
			}
			if err != nil {
				errs <- err
			}
		}(c.a)
	}
	for range n {
		<-started
	}
	// Let the goroutines reach the poller; bounded, not a synchronization.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	threads := osThreads(t)
	t.Logf("%d goroutines blocked in recv: %d OS threads", n, threads)
	if threads >= 30 {
		t.Errorf("%d OS threads for %d blocked recvs; want < 30", threads, n)
	}
	for _, c := range conns {
		if _, err := c.b.Send([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestCloseWakesBlockedCalls: Close from another goroutine wakes recv,
// accept and sendall promptly with OSError(9) that matches net.ErrClosed.
func TestCloseWakesBlockedCalls(t *testing.T) {
	checkFDs(t)
	for _, op := range []string{"recv", "accept", "sendall", "timeout-recv"} {
		t.Run(op, func(t *testing.T) {
			a, b := pair(t)
			defer b.Close()
			var s = a
			var call func() error
			switch op {
			case "recv":
				call = func() error { _, err := a.Recv(10); return err }
			case "timeout-recv":
				a.SetTimeout(30)
				call = func() error { _, err := a.Recv(10); return err }
			case "sendall":
				call = func() error { return a.SendAll(make([]byte, 64<<20)) }
			case "accept":
				a.Close()
				l, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
				if err != nil {
					t.Fatal(err)
				}
				l.Bind(pysock.Tuple{"127.0.0.1", 0})
				l.Listen()
				s = l
				call = func() error { _, _, err := l.Accept(); return err }
			}
			done := make(chan error, 1)
			go func() { done <- call() }()
			time.Sleep(50 * time.Millisecond) // let it park; the assertion does not depend on it
			start := time.Now()
			s.Close()
			select {
			case err := <-done:
				var oe *pyerr.OSError
				if !errors.As(err, &oe) || oe.Errno != 9 || !errors.Is(err, net.ErrClosed) || !errors.Is(err, syscall.EBADF) {
					t.Fatalf("got %v, want OSError(9) matching net.ErrClosed", err)
				}
				if d := time.Since(start); d > time.Second {
					t.Errorf("woke after %v", d)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("blocked call not woken by Close")
			}
		})
	}
}

// TestAdoptAndDetach: detach keeps the fd open and FromFileno adopts it again.
func TestAdoptAndDetach(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	fd := a.Detach()
	if fd < 0 || a.Fileno() != -1 || !strings.Contains(a.Repr(), "[closed] fd=-1") {
		t.Fatalf("detach: fd %d, repr %s", fd, a.Repr())
	}
	c, err := pysock.FromFileno(fd, -1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Family() != pysock.AF_UNIX || c.Type() != pysock.SOCK_STREAM || c.Fileno() != fd {
		t.Fatalf("adopted %s", c.Repr())
	}
	b.Send([]byte("hi"))
	got, err := c.Recv(10)
	if err != nil || string(got) != "hi" {
		t.Fatalf("recv on adopted fd: %q %v", got, err)
	}
	d, err := c.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if inh, _ := d.GetInheritable(); inh || d.Fileno() == c.Fileno() {
		t.Fatalf("dup: inheritable=%v fd=%d", inh, d.Fileno())
	}
	if _, err := pysock.FromFileno(-1, -1, -1, -1); err == nil || err.Error() != "negative file descriptor" {
		t.Fatalf("FromFileno(-1): %v", err)
	}
}

// TestNonblockingAdoptedFdInBlockingMode: as in CPython, an fd adopted with
// O_NONBLOCK set is in "blocking" mode but recv raises BlockingIOError(11).
func TestNonblockingAdoptedFdInBlockingMode(t *testing.T) {
	checkFDs(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[1])
	s, err := pysock.FromFileno(fds[0], -1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.GetBlocking() {
		t.Fatal("adopted socket must report blocking mode")
	}
	_, err = s.Recv(1)
	if !errors.Is(err, syscall.EAGAIN) || err.Error() != "[Errno 11] Resource temporarily unavailable" {
		t.Fatalf("recv: %v", err)
	}
}
