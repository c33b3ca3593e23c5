package pysock_test

import (
	"errors"
	"runtime"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// Memory regression tests: what a call keeps and costs scales with the
// data, not with what was asked.

// heapAfterGC is the live heap after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// Items 11 and 12: results of recv(65536) and recv(16 MiB) hold the bytes
// received, not bufsize (CPython: +2.4 MB for 20 000 ten-byte messages).
func TestEdgeRecvResultHoldsOnlyTheData(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	const msgs = 2000
	for _, bufsize := range []int{4 << 10, 64 << 10, 16 << 20, 256 << 20} {
		before := heapAfterGC()
		kept := make([][]byte, 0, msgs)
		for i := 0; i < msgs; i++ {
			b.Send([]byte("ten bytes!"))
			got, err := a.Recv(bufsize)
			if err != nil || len(got) != 10 {
				t.Fatalf("Recv(%d) = %q, %v", bufsize, got, err)
			}
			kept = append(kept, got)
		}
		grew := int64(heapAfterGC()) - int64(before)
		runtime.KeepAlive(kept)
		// 10 bytes each, in a 16-byte size class, plus the slice headers.
		if grew > msgs*256 {
			t.Errorf("keeping %d ten-byte results of Recv(%d) holds %d bytes (%d per message)", msgs, bufsize, grew, grew/msgs)
		}
	}
	// A datagram larger than the scratch buffer is sized by FIONREAD.
	u1, u2, err := pysock.SocketPair(pysock.AF_UNIX, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer u1.Close()
	defer u2.Close()
	u1.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_SNDBUF, 1<<20)
	u2.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVBUF, 1<<20)
	big := make([]byte, 200<<10)
	big[len(big)-1] = 7
	if _, err := u1.Send(big); err != nil {
		t.Fatal(err)
	}
	got, err := u2.Recv(256 << 20)
	if err != nil || len(got) != len(big) || got[len(got)-1] != 7 || cap(got) > len(big)+4096 {
		t.Fatalf("Recv(256 MiB) of a 200 KiB datagram: len %d cap %d, %v", len(got), cap(got), err)
	}
}

// Item 13: sizes the machine cannot hold are MemoryError, never a crash;
// a large maxevents costs nothing (CPython: epoll.poll(0, 2**31-1) is
// MemoryError here, epoll.poll(0, 10**8) returns []).
func TestEdgeHugeSizesAreMemoryError(t *testing.T) {
	checkFDs(t)
	var si unix.Sysinfo_t
	unix.Sysinfo(&si)
	ep, err := pysock.Epoll()
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	var me *pyerr.MemoryError
	if (uint64(si.Totalram)+uint64(si.Totalswap))*uint64(si.Unit) < 12*(1<<31-1) {
		if _, err := ep.Poll(0, 1<<31-1); !errors.As(err, &me) {
			t.Errorf("epoll.poll(0, 2**31-1) = %v, want MemoryError", err)
		}
	}
	before := heapAfterGC()
	if evs, err := ep.Poll(0, 100_000_000); err != nil || len(evs) != 0 {
		t.Errorf("epoll.poll(0, 10**8) = %v, %v, want []", evs, err)
	}
	if grew := int64(heapAfterGC()) - int64(before); grew > 1<<20 {
		t.Errorf("epoll.poll(0, 10**8) keeps %d bytes", grew)
	}
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	if _, err := a.Recv(1 << 62); !errors.As(err, &me) {
		t.Errorf("recv(2**62) = %v, want MemoryError", err)
	}
	f, err := a.MakeFile("rb", pysock.MakeFileOptions{Buffering: 0})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, n := range []int{1 << 40, 1 << 62} {
		if _, err := f.ReadN(n); !errors.As(err, &me) {
			t.Errorf("makefile(buffering=0).read(%d) = %v, want MemoryError", n, err)
		}
	}
}

// Item 14: detaching sockets and closing their fds by hand keeps memory
// and fds flat.
func TestEdgeDetachLoopIsFlat(t *testing.T) {
	checkFDs(t)
	round := func() {
		s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		fd := s.Detach()
		if err := unix.Close(fd); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 1000; i++ {
		round()
	}
	before := heapAfterGC()
	const rounds = 20000
	for i := 0; i < rounds; i++ {
		round()
	}
	if grew := int64(heapAfterGC()) - int64(before); grew > rounds*8 {
		t.Errorf("%d rounds of detach + close(fd) hold %d more bytes (%d per round)", rounds, grew, grew/rounds)
	}
	// A detached fd adopted again still works, and socket.close(fd)
	// closes a detached one.
	a, b := pair(t)
	defer b.Close()
	s, err := pysock.FromFileno(a.Detach(), -1, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	b.Send([]byte("again"))
	if got, err := s.Recv(10); err != nil || string(got) != "again" {
		t.Fatalf("Recv on a re-adopted fd = %q, %v", got, err)
	}
	if err := pysock.Close(s.Detach()); err != nil {
		t.Fatal(err)
	}
}

// Item 15: goroutines waiting in select and poll park on the runtime
// poller: 1000 waiters hold a few OS threads (they held one each).
func TestEdgeSelectWaitersHoldFewThreads(t *testing.T) {
	checkFDs(t)
	const n = 500
	type pairT struct{ a, b *pysock.Socket }
	pairs := make([]pairT, n)
	for i := range pairs {
		pairs[i].a, pairs[i].b = pair(t)
	}
	defer func() {
		for _, p := range pairs {
			p.a.Close()
			p.b.Close()
		}
	}()
	threadsBefore := osThreads(t)
	results := make(chan error, 2*n)
	for i, p := range pairs {
		if i%2 == 0 {
			go func() {
				r, _, _, err := pysock.Select([]any{p.a}, nil, nil)
				if err == nil && len(r) != 1 {
					err = errors.New("select returned without the ready socket")
				}
				results <- err
			}()
		} else {
			go func() {
				po := pysock.Poll()
				po.Register(p.a, pysock.POLLIN)
				evs, err := po.Poll()
				if err == nil && len(evs) != 1 {
					err = errors.New("poll returned without the ready socket")
				}
				results <- err
			}()
		}
	}
	for deadline := time.Now().Add(20 * time.Second); countParked("pysock.waitReady") < n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d waiters parked", countParked("pysock.waitReady"), n)
		}
	}
	if th := osThreads(t); th > threadsBefore+20 {
		t.Errorf("%d goroutines in select/poll hold %d OS threads (%d before)", n, th, threadsBefore)
	}
	for _, p := range pairs {
		p.b.Send([]byte("x"))
	}
	for i := 0; i < n; i++ {
		if err := (await(t, goCall(func() result { return result{err: <-results} }), "select/poll waiter")).err; err != nil {
			t.Fatal(err)
		}
	}
}
