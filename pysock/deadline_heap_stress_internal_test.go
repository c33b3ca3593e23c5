package pysock

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/pysock/pysock/internal/leakcheck"
)

// Stress tests of the receive-deadline heaps (deadline_heap.go), from an
// outside review: many timed receives at once, mixed with data and
// contexts, and arm/disarm racing the heap's own expiry. None of them
// found a bug; they guard the heap's bookkeeping against one.

// heapWatchdog panics, with every goroutine's stack, if the test runs
// longer than d; call the function it returns when the test is done.
func heapWatchdog(t *testing.T, d time.Duration) (stop func()) {
	t.Helper()
	tm := time.AfterFunc(d, func() {
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		panic("watchdog: " + t.Name() + " still running after " + d.String() + "\n" + string(buf[:n]))
	})
	return func() { tm.Stop() }
}

// isTimeoutErr: TimeoutError('timed out').
func isTimeoutErr(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

// TestDeadlineHeapBurst: n receives in timeout mode wait at once and all
// time out: none before its timeout, none long after (a lost wake-up),
// across bursts that grow the heaps (growNow, makeRoom); then one more
// call per socket, with data waiting, must get it (no stale deadline).
func TestDeadlineHeapBurst(t *testing.T) {
	leakcheck.Track(t)
	defer heapWatchdog(t, 120*time.Second)()
	const n = 1500
	as := make([]*Socket, n)
	bs := make([]*Socket, n)
	for i := range as {
		a, b, err := SocketPair(AF_UNIX, SOCK_DGRAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		as[i], bs[i] = a, b
		defer a.Close()
		defer b.Close()
	}
	for round := 0; round < 4; round++ {
		errs := make(chan error, n)
		for i, a := range as {
			to := 0.02 + float64(i%7)*0.005
			go func() {
				if err := a.SetTimeout(to); err != nil {
					errs <- err
					return
				}
				start := time.Now()
				_, err := a.Recv(16)
				took := time.Since(start)
				switch {
				case !isTimeoutErr(err):
					errs <- fmt.Errorf("socket %d: %v, want a timeout", i, err)
				case took < time.Duration(to*1e9):
					errs <- fmt.Errorf("socket %d: timed out after %v, before its timeout %vs", i, took, to)
				case took > time.Duration(to*1e9)+3*time.Second:
					errs <- fmt.Errorf("socket %d: timed out after %v, timeout %vs (late wake-up)", i, took, to)
				default:
					errs <- nil
				}
			}()
		}
		for range as {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		// The next call on each socket finds data: no deadline left over.
		for i := range as {
			if _, err := bs[i].Send([]byte("x")); err != nil {
				t.Fatal(err)
			}
			if err := as[i].SetTimeout(5.0); err != nil {
				t.Fatal(err)
			}
			if b, err := as[i].Recv(16); err != nil || string(b) != "x" {
				t.Fatalf("round %d socket %d: after the timeout, recv gave %q, %v", round, i, b, err)
			}
		}
	}
}

// TestDeadlineHeapMixed: receivers in timeout mode on datagram pairs with
// random timeouts, senders at random times (sleeps are the workload, not
// synchronisation), some pairs ping-ponging so that their sockets are hot
// and spin. Every recv either gets the next datagram in order or times
// out no earlier than its timeout and not long after it.
func TestDeadlineHeapMixed(t *testing.T) {
	leakcheck.Track(t)
	defer heapWatchdog(t, 150*time.Second)()
	const pairs, rounds = 48, 150
	errs := make(chan error, 2*pairs)
	for p := 0; p < pairs; p++ {
		a, b, err := SocketPair(AF_UNIX, SOCK_DGRAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		defer b.Close()
		pingpong := p%3 == 0
		stop := make(chan struct{})
		// Sender.
		go func() {
			defer func() { errs <- nil }()
			rng := rand.New(rand.NewPCG(uint64(p), 1))
			seq := byte(0)
			if err := b.SetTimeout(0.5); err != nil {
				return
			}
			for {
				if pingpong {
					if _, err := b.Recv(1); err != nil && !isTimeoutErr(err) {
						return
					}
				} else {
					time.Sleep(time.Duration(rng.IntN(12000)) * time.Microsecond)
				}
				select {
				case <-stop:
					return
				default:
				}
				if _, err := b.Send([]byte{seq}); err != nil {
					return
				}
				seq++
			}
		}()
		// Receiver.
		go func() {
			defer close(stop)
			rng := rand.New(rand.NewPCG(uint64(p), 2))
			want := byte(0)
			buf := make([]byte, 4)
			for r := 0; r < rounds; r++ {
				to := float64(1+rng.IntN(8)) / 1000
				if err := a.SetTimeout(to); err != nil {
					errs <- err
					return
				}
				start := time.Now()
				var got []byte
				var err error
				switch r % 3 {
				case 0:
					got, err = a.Recv(4)
				case 1:
					var k int
					k, err = a.RecvInto(buf)
					got = buf[:k]
				case 2:
					ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rng.IntN(10000))*time.Microsecond)
					got, err = a.RecvContext(ctx, 4)
					cancel()
					if errors.Is(err, context.DeadlineExceeded) {
						continue
					}
				}
				took := time.Since(start)
				switch {
				case err == nil:
					if len(got) != 1 || got[0] != want {
						errs <- fmt.Errorf("pair %d round %d: got %v, want [%d]", p, r, got, want)
						return
					}
					want++
				case !isTimeoutErr(err):
					errs <- fmt.Errorf("pair %d round %d: %v", p, r, err)
					return
				case took < time.Duration(to*1e9):
					errs <- fmt.Errorf("pair %d round %d: timed out after %v, before its timeout %vs", p, r, took, to)
					return
				case took > time.Duration(to*1e9)+2*time.Second:
					errs <- fmt.Errorf("pair %d round %d: timed out after %v, timeout %vs (late wake-up)", p, r, took, to)
					return
				}
				if pingpong {
					a.Send([]byte{0})
				}
			}
			errs <- nil
		}()
	}
	for i := 0; i < 2*pairs; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestDeadlineHeapConcurrentExpiry drives one heap directly, from many
// goroutines at once, through arm and disarm of states whose deadlines are
// a few hundred microseconds away: each entry must leave the heap exactly
// once, by its remove or by its expiry, never expire before its deadline
// and never stay long after it; the heap must stay ordered. (The states'
// handles have no File: expire's SetReadDeadline fails harmlessly.)
func TestDeadlineHeapConcurrentExpiry(t *testing.T) {
	defer heapWatchdog(t, 120*time.Second)()
	const workers, iters = 16, 3000
	shard := 3 % len(dlHeaps)
	q := &dlHeaps[shard]
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			st := &ioState{h: &handle{fd: 1<<20 + shard + w*len(dlHeaps)}, op: opRecv, timed: true}
			dlStart(st)
			for i := 0; i < iters; i++ {
				st.deadline = monoNow() + rng.Int64N(300_000)
				st.arm()
				if rng.IntN(2) == 0 {
					st.disarm()
					if st.armed.Load() {
						errs <- fmt.Errorf("worker %d: still armed after disarm", w)
						return
					}
					continue
				}
				for {
					q.mu.Lock()
					gone := st.h.rdl == 0
					q.mu.Unlock()
					now := monoNow()
					if gone {
						if now < st.deadline {
							errs <- fmt.Errorf("worker %d: expired %dns before its deadline", w, st.deadline-now)
							return
						}
						break
					}
					if now > st.deadline+int64(time.Second) {
						errs <- fmt.Errorf("worker %d iteration %d: deadline passed %v ago, entry still in the heap (lost wake-up)", w, i, time.Duration(now-st.deadline))
						return
					}
					runtime.Gosched()
				}
				st.disarm() // the entry expired: disarm finds it gone
			}
			errs <- nil
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.check(); err != nil {
		t.Fatal(err)
	}
	for i, e := range q.heap {
		if q.slots[e.slot].st.h.fd >= 1<<20 {
			t.Fatalf("entry %d: a test state left in the heap", i)
		}
	}
}
