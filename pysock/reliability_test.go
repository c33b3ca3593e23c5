package pysock_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// pump sends n random bytes from a to b in random chunks with SendAll and
// reads them with RecvInto in random sizes; it returns both checksums.
func pump(t *testing.T, a, b *pysock.Socket, n int, seed uint64) (sent, got [32]byte) {
	t.Helper()
	var wg sync.WaitGroup
	var sendErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewPCG(seed, 1))
		h := sha256.New()
		buf := make([]byte, 1<<20)
		for left := n; left > 0; {
			k := min(left, 1+rng.IntN(len(buf)))
			for i := range buf[:k] {
				buf[i] = byte(rng.Uint32())
			}
			h.Write(buf[:k])
			if err := a.SendAll(buf[:k]); err != nil {
				sendErr = err
				return
			}
			left -= k
		}
		copy(sent[:], h.Sum(nil))
		a.Shutdown(pysock.SHUT_WR)
	}()
	rng := rand.New(rand.NewPCG(seed, 2))
	h := sha256.New()
	buf := make([]byte, 1<<20)
	total := 0
	for {
		k, err := b.RecvInto(buf[:1+rng.IntN(len(buf))])
		if errors.Is(err, syscall.EAGAIN) { // non-blocking reader: wait in select
			if _, _, _, err := pysock.Select([]any{b}, nil, nil, 10.0); err != nil {
				t.Fatalf("select: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("RecvInto after %d bytes: %v", total, err)
		}
		if k == 0 {
			break
		}
		h.Write(buf[:k])
		total += k
	}
	wg.Wait()
	if sendErr != nil {
		t.Fatalf("SendAll: %v", sendErr)
	}
	if total != n {
		t.Fatalf("received %d bytes, sent %d", total, n)
	}
	copy(got[:], h.Sum(nil))
	return sent, got
}

// integrityMiB is the volume TestDataIntegrity moves per mode: 32 MiB in
// the suite (it runs under -race), PYSOCK_INTEGRITY_MIB=1024 for the 1 GiB run.
func integrityMiB() int {
	if n, err := strconv.Atoi(os.Getenv("PYSOCK_INTEGRITY_MIB")); err == nil && n > 0 {
		return n
	}
	return 32
}

// TestDataIntegrity moves data through SendAll / RecvInto in blocking and
// timeout mode, and to a non-blocking reader waiting in select (mode 0.0:
// the writer stays blocking, as a non-blocking sendall gives up midway),
// over TCP, with random chunking, and compares checksums.
func TestDataIntegrity(t *testing.T) {
	checkFDs(t)
	n := integrityMiB() << 20
	for _, mode := range []any{nil, 10.0, 0.0} {
		t.Run(fmt.Sprint("mode ", pysock.Repr(mode)), func(t *testing.T) {
			srv, addr := listener(t)
			defer srv.Close()
			writerMode := mode
			if mode == 0.0 {
				writerMode = nil
			}
			a, err := pysock.CreateConnection(addr, writerMode)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			b, _, err := srv.Accept()
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			b.SetTimeout(mode)
			sent, got := pump(t, a, b, n, uint64(n))
			if sent != got {
				t.Fatalf("checksum mismatch: sent %x, got %x", sent, got)
			}
		})
	}
}

// TestManyConnectionsIntegrity: 2000 connections at once, each moving its
// own random payload both ways; every byte is accounted for.
func TestManyConnectionsIntegrity(t *testing.T) {
	checkFDs(t)
	const conns = 2000
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) != nil || lim.Cur < 2*conns+100 {
		t.Skip("RLIMIT_NOFILE too low")
	}
	var wg sync.WaitGroup
	var bad atomic.Int64
	errs := make(chan error, conns)
	for i := range conns {
		a, b := pair(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer a.Close()
			defer b.Close()
			payload := bytes.Repeat([]byte{byte(i), byte(i >> 8), 0x5a}, 1000+i)
			go func() {
				b.SendAll(payload)
				b.Shutdown(pysock.SHUT_WR)
			}()
			var got []byte
			buf := make([]byte, 4096)
			for {
				n, err := a.RecvInto(buf)
				if err != nil {
					errs <- err
					return
				}
				if n == 0 {
					break
				}
				got = append(got, buf[:n]...)
			}
			if !bytes.Equal(got, payload) {
				bad.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if bad.Load() != 0 {
		t.Fatalf("%d of %d connections lost or garbled data", bad.Load(), conns)
	}
}

// TestSignalStorm delivers SIGUSR1 to the process every ~100 µs while
// goroutines sit in blocking recv/accept/sendall and timeout-mode recv: no
// spurious errors, no lost or duplicated bytes, timeouts still ≈T.
func TestSignalStorm(t *testing.T) {
	checkFDs(t)
	sigs := make(chan os.Signal, 1024)
	signal.Notify(sigs, syscall.SIGUSR1)
	defer signal.Stop(sigs)
	stop := make(chan struct{})
	var delivered atomic.Int64
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-sigs:
			}
		}
	}()
	go func() {
		defer wg.Done()
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				syscall.Kill(os.Getpid(), syscall.SIGUSR1)
				delivered.Add(1)
			}
		}
	}()
	defer func() {
		close(stop)
		wg.Wait()
		t.Logf("signals delivered: %d", delivered.Load())
	}()

	// Bulk data in blocking mode.
	a, b := pair(t)
	sent, got := pump(t, a, b, 8<<20, 7)
	a.Close()
	b.Close()
	if sent != got {
		t.Fatal("checksum mismatch under signals")
	}
	// Timeout-mode recv keeps its deadline across interruptions.
	c, d := pair(t)
	defer c.Close()
	defer d.Close()
	const T = 300 * time.Millisecond
	c.SetTimeout(T.Seconds())
	start := time.Now()
	_, err := c.Recv(10)
	elapsed := time.Since(start)
	var te *pyerr.TimeoutError
	if !errors.As(err, &te) || elapsed < T || elapsed > 2*T {
		t.Fatalf("timeout-mode recv under signals: %v after %v (want timed out after ≈%v)", err, elapsed, T)
	}
	// Blocking accept and connect.
	srv, addr := listener(t)
	defer srv.Close()
	done := make(chan error, 1)
	go func() {
		conn, _, err := srv.Accept()
		if err == nil {
			conn.Close()
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cl, err := pysock.CreateConnection(addr)
	if err != nil {
		t.Fatal(err)
	}
	cl.Close()
	if err := <-done; err != nil {
		t.Fatalf("accept under signals: %v", err)
	}
}

// TestCloseRaces closes sockets from another goroutine while calls wait in
// recv, send (full buffer), accept and select, over and over: every call
// returns promptly, and no fd or goroutine is left behind.
func TestCloseRaces(t *testing.T) {
	checkFDs(t)
	rounds := 500
	if testing.Short() {
		rounds = 50
	}
	big := make([]byte, 4<<20)
	for i := range rounds {
		a, b := pair(t)
		srv, _ := listener(t)
		var wg sync.WaitGroup
		results := make(chan error, 4)
		call := func(fn func() error) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results <- fn()
			}()
		}
		call(func() error { _, err := a.Recv(10); return err })
		call(func() error { return b.SendAll(big) })
		call(func() error { _, _, err := srv.Accept(); return err })
		call(func() error {
			_, _, _, err := pysock.Select([]any{a}, nil, nil, 0.005)
			return err
		})
		if i%2 == 0 {
			runtime.Gosched()
		}
		a.Close()
		b.Close()
		srv.Close()
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		select {
		case <-finished:
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: a call did not return after Close", i)
		}
		close(results)
		for err := range results {
			if err == nil {
				continue
			}
			if _, ok := err.(pyerr.PyException); !ok {
				t.Fatalf("round %d: non-Python error %T %v", i, err, err)
			}
		}
	}
}

// TestFinalizerClosesLeakedSocket: an unreachable Socket never closed by
// its owner has its fd closed by the garbage collector (CPython closes it
// in __del__, with a ResourceWarning pysock does not emit).
func TestFinalizerClosesLeakedSocket(t *testing.T) {
	var st unix.Stat_t
	ino := func() uint64 {
		s, err := pysock.NewSocket(-1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		unix.Fstat(s.Fileno(), &st)
		return st.Ino
	}()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		if !fdWithInode(ino) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the leaked socket's fd is still open")
}

func fdWithInode(ino uint64) bool {
	ents, _ := os.ReadDir("/proc/self/fd")
	for _, e := range ents {
		link, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err == nil && link == fmt.Sprintf("socket:[%d]", ino) {
			return true
		}
	}
	return false
}

// TestFdExhaustion runs the test binary again with RLIMIT_NOFILE lowered
// (the child part below): socket, accept, socketpair and dup fail with
// OSError(24, 'Too many open files'), nothing leaks, and the listener
// works again once fds are free.
func TestFdExhaustion(t *testing.T) {
	if os.Getenv("PYSOCK_EXHAUSTION_CHILD") == "1" {
		exhaustionChild()
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestFdExhaustion$", "-test.v")
	cmd.Env = append(os.Environ(), "PYSOCK_EXHAUSTION_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, want := range []string{
		"socket: OSError 24 [Errno 24] Too many open files",
		"socketpair: OSError 24 [Errno 24] Too many open files",
		"dup: OSError 24 [Errno 24] Too many open files",
		"accept: OSError 24 [Errno 24] Too many open files",
		"accept after freeing: ok",
		"fds back to baseline: true",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
}

func exhaustionChild() {
	say := func(what string, err error) {
		var oe *pyerr.OSError
		if errors.As(err, &oe) {
			fmt.Printf("%s: %s %d %s\n", what, oe.ClassName(), oe.Errno, oe.Error())
		} else {
			fmt.Printf("%s: %v\n", what, err)
		}
	}
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0})
	if err != nil {
		fmt.Println("setup:", err)
		return
	}
	addr, _ := srv.GetSockName()
	// A client connection queued on the listener before the limit bites.
	cl, _ := pysock.CreateConnection(addr)
	baseline := countFDs()
	var lim unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_NOFILE, &lim)
	saved := lim
	lim.Cur = uint64(baseline + 8)
	unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
	var held []*pysock.Socket
	for {
		s, err := pysock.NewSocket(-1, -1, -1)
		if err != nil {
			say("socket", err)
			break
		}
		held = append(held, s)
	}
	_, _, err = pysock.SocketPair(-1, -1, -1)
	say("socketpair", err)
	_, err = srv.Dup()
	say("dup", err)
	srv.SetTimeout(1.0)
	_, _, err = srv.Accept()
	say("accept", err)
	for _, s := range held {
		s.Close()
	}
	conn, _, err := srv.Accept()
	if err == nil {
		fmt.Println("accept after freeing: ok")
		conn.Close()
	} else {
		say("accept after freeing", err)
	}
	unix.Setrlimit(unix.RLIMIT_NOFILE, &saved)
	cl.Close()
	fmt.Println("fds back to baseline:", countFDs() <= baseline)
	srv.Close()
}

func countFDs() int {
	ents, _ := os.ReadDir("/proc/self/fd")
	return len(ents)
}

// TestCloseWakesConnect: a blocking-mode connect waiting on a full
// backlog returns OSError(9) promptly when another goroutine closes the
// socket, round after round.
func TestCloseWakesConnect(t *testing.T) {
	checkFDs(t)
	srv, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Bind(pysock.Tuple{"127.0.0.1", 0})
	srv.Listen(0)
	addr, _ := srv.GetSockName()
	// Fill the accept queue: connect until one times out.
	var fillers []*pysock.Socket
	defer func() {
		for _, f := range fillers {
			f.Close()
		}
	}()
	for range 64 {
		f, _ := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
		fillers = append(fillers, f)
		f.SetTimeout(0.2)
		if err := f.Connect(addr); err != nil {
			break
		}
	}
	for round := range 10 {
		c, _ := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
		done := make(chan error, 1)
		go func() { done <- c.Connect(addr) }()
		time.Sleep(20 * time.Millisecond) // let it wait; the result holds either way
		c.Close()
		select {
		case err := <-done:
			var oe *pyerr.OSError
			if err != nil && (!errors.As(err, &oe) || oe.Errno != 9) {
				t.Fatalf("round %d: connect after Close: %v", round, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d: Close did not wake connect", round)
		}
	}
}
