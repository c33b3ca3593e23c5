package pysock_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// handler is a server's connection loop a few frames above RecvInto, as in
// a ported program or cmd/pysock-bench's servers: goroutine → loop with
// its state → a method through an interface → recv_into.
type receiver interface{ recvInto(buf []byte) (int, error) }

type handler struct{ s *pysock.Socket }

func (h handler) recvInto(buf []byte) (int, error) { return h.s.RecvInto(buf) }

// recvHandler is the loop over recv(4096), the idiom of most Python
// servers: a new result each call.
type recvHandler struct{ s *pysock.Socket }

func (h recvHandler) recvInto(buf []byte) (int, error) {
	b, err := h.s.Recv(4096)
	return copy(buf, b), err
}

// largeMsg is what recv-large's senders send a round: more than the
// scratch buffer, in one piece.
const largeMsg = 96 << 10

// recvLargeHandler is a loop over recv with a bufsize beyond the scratch
// buffer, whose result is sized by what is queued (recvsize.go).
type recvLargeHandler struct{ s *pysock.Socket }

func (h recvLargeHandler) recvInto(buf []byte) (int, error) {
	b, err := h.s.Recv(1 << 20)
	return copy(buf, b), err
}

// netHandler is the same loop over Go net's Read: the reference.
type netHandler struct{ c net.Conn }

func (h netHandler) recvInto(buf []byte) (int, error) { return h.c.Read(buf) }

// nest calls f under n more frames of a caller's code.
//
//go:noinline
func nest(n int, f func()) {
	if n == 0 {
		f()
		return
	}
	nest(n-1, f)
}

// received counts the messages serveLoop has received.
var received atomic.Int64

// serveLoop receives into buf until EOF. buf comes from the caller: a
// 64 KiB allocation made here can run the runtime's sweeper, whose frames
// go deeper than any receive's, and the stack it grows then stays grown
// (it is shrunk only to twice what it uses), so the measurement would be
// the allocation's and not pysock's.
//
//go:noinline
func serveLoop(c receiver, buf []byte) {
	total, rounds := 0, 0
	for {
		n, err := c.recvInto(buf)
		if err != nil || n == 0 {
			break
		}
		total += n
		rounds++
		received.Add(1)
	}
	_, _ = total, rounds
}

// stackNest is how many frames (about 32 bytes each) a caller may add
// above serveLoop and its goroutine still parks in 2 KiB: the headroom
// pysock leaves. Both modes fit with 8 and double with 9; Go net's Read
// fits with 13 and doubles with 14. The test checks 8: with a frame in
// hand (7), a change that cost a frame (9c457d1's nil check in
// recvIntoBuf) passed unseen.
const stackNest = 8

// recvStackNest is the headroom above a parked recv(n) (recvHandler), in
// blocking and in timeout mode: it fits 4 frames and doubles with 5, the
// call chain being a frame deeper than recv_into's (the receive into a
// scratch buffer). Every such
// goroutine held 4 KiB with none until the scratch buffers left sync.Pool
// (whose Get, in the callback, went deeper than the stack had room for)
// and the result's allocation left the callback (scratch.go,
// recvsize.go). A recv with a bufsize beyond the scratch buffer
// (recv-large) has the same headroom; it held 4 KiB with none until its
// FIONREAD and recvfrom left their own stack checks and its buffer's
// allocation left the callback.
const recvStackNest = 4

// TestParkedStackSize: a goroutine parked in a recv_into, in blocking or
// in timeout mode, keeps the 2 KiB stack a goroutine starts with, as one
// parked in Go net's Read does. At 10 000 connections a deeper call chain
// under the poller doubles each stack: 20 MB more. (Blocking mode did,
// until the spin's clock and the context wrapper moved out of the
// callback's chain; timeout mode did, until receive deadlines moved off
// the poller's timers into deadline_heap.go, and again until dlPush was
// made nosplit.) The handler sits stackNest frames above
// serveLoop, as a ported server's does. Go net's Read is measured the same
// way as the reference: if it no longer fits, the runtime's own frames
// have grown and the figure is not pysock's to fix. Each measurement runs
// in a fresh child process, where no earlier test's freed stacks hide the
// new ones.
func TestParkedStackSize(t *testing.T) {
	if raceOn {
		t.Skip("the race detector's instrumentation makes every frame larger")
	}
	if mode := os.Getenv("PYSOCK_STACK_CHILD"); mode != "" {
		nestLevel := stackNest
		if v, err := strconv.Atoi(os.Getenv("PYSOCK_STACK_NEST")); err == nil {
			nestLevel = v // for finding the edge by hand
		}
		if mode == "send" || mode == "send-timeout" {
			fmt.Printf("STACK %d\n", parkedSendStack(t, nestLevel, mode == "send-timeout"))
			return
		}
		fmt.Printf("STACK %d\n", parkedStack(t, mode, nestLevel))
		return
	}
	for _, mode := range []string{"blocking", "timeout", "gonet", "exposed", "recv", "recv-timeout", "recv-large", "send", "send-timeout"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestParkedStackSize$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PYSOCK_STACK_CHILD="+mode)
		isSend := strings.HasPrefix(mode, "send")
		nestLevel := stackNest
		switch {
		case isSend:
			nestLevel = sendStackNest
		case strings.HasPrefix(mode, "recv"):
			nestLevel = recvStackNest
		}
		cmd.Env = append(cmd.Env, "PYSOCK_STACK_NEST="+strconv.Itoa(nestLevel))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s child: %v\n%s", mode, err, out)
		}
		_, rest, ok := strings.Cut(string(out), "STACK ")
		if !ok {
			t.Fatalf("%s child printed no figure:\n%s", mode, out)
		}
		per, err := strconv.Atoi(strings.Fields(rest)[0])
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes of stack per parked call", mode, per)
		// Timeout mode has more room: 1000 receives pushing their
		// deadlines at once still send a few of them down deeper paths
		// than the common one (a push that finds its heap full grows it,
		// one that brings an earlier deadline wakes the heap's goroutine).
		limit := 2048 + 256
		switch mode {
		case "timeout", "recv-timeout", "send-timeout":
			limit = 2048 + 1024
		case "exposed":
			// Nothing allocates under an exposed receive any more: one
			// receive in ten doubled (2228 bytes each) while the first
			// look allocated its state.
			limit = 2048 + 128
		}
		if per > limit && isSend {
			t.Errorf("a goroutine parked %d frames above a %s holds %d bytes of stack, want 2 KiB", sendStackNest, mode, per)
		} else if per > limit {
			t.Errorf("a goroutine parked %d frames above a %s receive holds %d bytes of stack, want 2 KiB", nestLevel, mode, per)
		}
	}
}

// parkedStack starts n receivers in mode (blocking, timeout, gonet), each
// nestLevel frames above serveLoop, sends them 16 rounds of one message,
// as W3's clients do (each round wakes every receiver and parks it again,
// all at once, through every path a waiting receive takes: in timeout
// mode its deadline pushed onto a heap and removed, under contention), and
// returns the stack bytes per parked receiver.
func parkedStack(t *testing.T, mode string, nestLevel int) uint64 {
	n, rounds := 1000, 16
	if mode == "recv-large" {
		// 48 MB a round, with the collector off: a large allocation may
		// sweep spans on its goroutine's stack, deeper than 2 KiB from
		// any frame, in any Go program; what is measured is pysock's
		// own chain.
		n, rounds = 500, 4
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}
	var receivers []receiver
	var senders []func() error
	for range n {
		if mode == "gonet" {
			fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			var c [2]net.Conn
			for i, fd := range fds {
				f := os.NewFile(uintptr(fd), "socketpair")
				if c[i], err = net.FileConn(f); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
			receivers = append(receivers, netHandler{c[0]})
			senders = append(senders, func() error { _, err := c[1].Write([]byte{1}); return err })
			continue
		}
		x, y, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		switch mode {
		case "timeout", "recv-timeout":
			if err := x.SetTimeout(5.0); err != nil {
				t.Fatal(err)
			}
		case "exposed":
			// The number is out: a receive that would park reads the
			// kernel's flag and options first (outside_linux.go), a
			// deeper chain than the common one.
			x.Fileno()
		}
		switch {
		case mode == "recv-large":
			// More than the scratch buffer at once: the result is
			// allocated for what is queued.
			receivers = append(receivers, recvLargeHandler{x})
			msg := make([]byte, largeMsg)
			senders = append(senders, func() error { return y.SendAll(msg) })
			continue
		case strings.HasPrefix(mode, "recv"):
			receivers = append(receivers, recvHandler{x})
		default:
			receivers = append(receivers, handler{x})
		}
		senders = append(senders, func() error { return y.SendAll([]byte{1}) })
	}
	bufs := make([][]byte, n)
	for i := range bufs {
		bufs[i] = make([]byte, 64<<10)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i, r := range receivers {
		go nest(nestLevel, func() { serveLoop(r, bufs[i]) })
	}
	for r := 1; r <= rounds; r++ {
		for _, send := range senders {
			if err := send(); err != nil {
				t.Fatal(err)
			}
		}
		deadline := time.Now().Add(20 * time.Second)
		for received.Load() < int64(r*n) {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: %d messages received, want %d", r, received.Load(), r*n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	// Parked goroutines do not report in; wait until the stacks have
	// stopped growing.
	var last uint64
	for range 50 {
		time.Sleep(20 * time.Millisecond)
		runtime.ReadMemStats(&after)
		if after.StackInuse == last {
			break
		}
		last = after.StackInuse
	}
	return (after.StackInuse - before.StackInuse) / uint64(n)
}

// sendStackNest is the headroom above a parked blocking send: a goroutine
// parks in 2 KiB with 12 frames of a caller's above Send, and doubles with
// 13. It doubled to 4 KiB with none until the lists a parked write joins
// stopped allocating (shutdown_wake.go), and with four until Send inlined
// into its caller and the lists' locks became spin locks (1000 sends
// parking at once found the process-wide list's sync.Mutex taken, and
// parked on it through the runtime's semaphore code). A timeout-mode send
// held 4 KiB with none until its deadline moved off the poller's timers
// into deadline_heap.go, as a receive's had.
const sendStackNest = 12

// parkedSendStack parks 1000 blocking-mode sends (timeout-mode if timed),
// each nestLevel frames above its goroutine, on full AF_UNIX stream
// socketpairs (each send's first park on its socket, which lists the
// socket for its peer's shutdown), and returns the stack bytes per parked
// send.
func parkedSendStack(t *testing.T, nestLevel int, timed bool) uint64 {
	const n = 1000
	var sockets []*pysock.Socket
	defer func() {
		for _, s := range sockets {
			s.Close()
		}
	}()
	var sends []func()
	for range n {
		a, b, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		sockets = append(sockets, a, b)
		a.SetBlocking(false)
		for {
			if _, err := a.Send(make([]byte, 1<<16)); err != nil {
				break
			}
		}
		a.SetBlocking(true)
		if timed {
			if err := a.SetTimeout(60.0); err != nil {
				t.Fatal(err)
			}
		}
		msg := make([]byte, 100)
		sends = append(sends, func() { a.Send(msg) })
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, send := range sends {
		go nest(nestLevel, send)
	}
	var last uint64
	for range 50 {
		time.Sleep(20 * time.Millisecond) // bounded: the sends do not report in
		runtime.ReadMemStats(&after)
		if after.StackInuse == last && pysockParkedSends() >= n {
			break
		}
		last = after.StackInuse
	}
	return (after.StackInuse - before.StackInuse) / n
}

// pysockParkedSends counts the goroutines parked in a pysock Send.
func pysockParkedSends() int {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "pysock.(*Socket).sendData")
}
