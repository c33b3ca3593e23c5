// Package leakcheck fails tests that leave file descriptors or goroutines
// behind: Track(t) for one test, Main(m) for a whole package (from
// TestMain).
package leakcheck

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// FDs is the number of open file descriptors of this process.
func FDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

// permanent lists goroutines the runtime starts once and keeps (the
// os/signal loop after signal.Notify, the goroutines of pysock's
// receive-deadline heaps):
// they are not leaks.
var permanent = []string{"os/signal.signal_recv", "os/signal.loop", "pysock/pysock.(*dlHeap).loop"}

// Goroutines counts the goroutines that could be leaks.
func Goroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.TrimSpace(g) == "" {
			continue
		}
		skip := false
		for _, p := range permanent {
			if strings.Contains(g, p) {
				skip = true
			}
		}
		if !skip {
			count++
		}
	}
	return count
}

// settle waits (bounded) for counts to come back to at most the baseline:
// goroutines that were told to stop and fds closed by finalizers take a
// moment.
func settle(fdsBefore, gBefore int) (fds, gs int) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		fds, gs = FDs(), Goroutines()
		if (fds <= fdsBefore && gs <= gBefore) || time.Now().After(deadline) {
			return fds, gs
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// Track fails t if, when it ends, more fds or goroutines exist than when
// Track was called.
func Track(t testing.TB) {
	t.Helper()
	fdsBefore, gBefore := FDs(), Goroutines()
	t.Cleanup(func() {
		fds, gs := settle(fdsBefore, gBefore)
		if fds > fdsBefore {
			t.Errorf("leak: %d fds open before the test, %d after", fdsBefore, fds)
		}
		if gs > gBefore {
			t.Errorf("leak: %d goroutines before the test, %d after:\n%s", gBefore, gs, stacks())
		}
	})
}

// Main runs the package's tests and fails the run if they leave fds or
// goroutines behind.
func Main(m *testing.M) {
	// The runtime poller opens its epoll fd and eventfd on first use and
	// keeps them: start it before counting.
	if r, w, err := os.Pipe(); err == nil {
		r.Close()
		w.Close()
	}
	fdsBefore, gBefore := FDs(), Goroutines()
	code := m.Run()
	fds, gs := settle(fdsBefore, gBefore)
	if code == 0 && fds > fdsBefore {
		fmt.Fprintf(os.Stderr, "leakcheck: %d fds open before the tests, %d after\n", fdsBefore, fds)
		code = 1
	}
	if code == 0 && gs > gBefore {
		fmt.Fprintf(os.Stderr, "leakcheck: %d goroutines before the tests, %d after:\n%s\n", gBefore, gs, stacks())
		code = 1
	}
	os.Exit(code)
}

func stacks() string {
	buf := make([]byte, 1<<20)
	s := string(buf[:runtime.Stack(buf, true)])
	if len(s) > 8000 {
		s = s[:8000] + "\n…"
	}
	return strings.TrimSpace(s)
}
