package pysock_test

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// handler is a server's connection loop a few frames above RecvInto, as in
// a ported program: goroutine → handler method → recv_into.
type handler struct{ s *pysock.Socket }

//go:noinline
func (h *handler) serve(buf []byte) {
	for {
		n, err := h.s.RecvInto(buf)
		if err != nil || n == 0 {
			return
		}
	}
}

// TestParkedStackSize: a goroutine parked in a blocking-mode recv_into
// keeps the 2 KiB stack a goroutine starts with, as one parked in Go net's
// Read does. At 10 000 connections a deeper call chain under the poller
// doubles each stack: 20 MB more (it did, until the spin's clock and the
// context wrapper moved out of the callback's chain). Timeout mode arms
// its deadline from the callback, where the runtime's timer code takes
// about a kilobyte more, and is logged, not checked: its stacks are
// 4 KiB. The measurement runs in a fresh child process, where no earlier
// test's freed stacks hide the new ones.
func TestParkedStackSize(t *testing.T) {
	const n = 1000
	if raceOn {
		t.Skip("the race detector's instrumentation makes every frame larger")
	}
	if mode := os.Getenv("PYSOCK_STACK_CHILD"); mode != "" {
		var timeout any
		if mode == "timeout" {
			timeout = 5.0
		}
		var socks []*pysock.Socket
		for range n {
			x, y, err := pysock.SocketPair(-1, -1, -1)
			if err != nil {
				t.Fatal(err)
			}
			if err := x.SetTimeout(timeout); err != nil {
				t.Fatal(err)
			}
			socks = append(socks, x, y)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := 0; i < len(socks); i += 2 {
			h := &handler{socks[i]}
			go h.serve(make([]byte, 64))
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
		fmt.Printf("STACK %d\n", (after.StackInuse-before.StackInuse)/n)
		for _, s := range socks {
			s.Close()
		}
		return
	}
	for _, mode := range []string{"blocking", "timeout"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestParkedStackSize$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PYSOCK_STACK_CHILD="+mode)
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
		t.Logf("%s mode: %d bytes of stack per parked recv_into", mode, per)
		if mode == "blocking" && per > 2048+256 {
			t.Errorf("a goroutine parked in a blocking recv_into holds %d bytes of stack, want 2 KiB", per)
		}
	}
}
