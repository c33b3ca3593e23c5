package pysock

import (
	"runtime"
	"testing"
	"time"
	"weak"

	"golang.org/x/sys/unix"
)

// descCount is the number of registered descriptions.
func descCount() int {
	descs.Lock()
	defer descs.Unlock()
	return len(descs.m)
}

// The registry of exposed descriptions holds no socket alive and keeps no
// entry once the description's sockets are closed (at once) or collected
// (a leaked socket's fd is closed by its File's cleanup,
// TestFinalizerClosesLeakedSocket).
func TestDescRegistryForgets(t *testing.T) {
	base := descCount()
	var held []*Socket // the half to be leaked, held until counted
	for i := range 100 {
		s, err := NewSocket(-1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		s.Fileno() // exposes it
		d, err := s.Dup()
		if err != nil {
			t.Fatal(err)
		}
		d.Fileno()
		if i%2 == 0 { // half closed, half leaked
			s.Close()
			d.Close()
		} else {
			held = append(held, s, d)
		}
	}
	// The closed ones are forgotten at once: the last handle's close.
	// (An earlier test's leaked sockets may be collected meanwhile, so
	// the count is at most base+50 and at least 50.)
	if n := descCount(); n < 50 || n > base+50 {
		t.Fatalf("%d descriptions registered, want 50 more than the %d before (one for each socket not closed; its dup shares it)", n, base)
	}
	runtime.KeepAlive(held)
	held = nil // leaked from here
	deadline := time.Now().Add(10 * time.Second)
	for descCount() > base {
		if time.Now().After(deadline) {
			t.Fatalf("%d descriptions registered after their sockets were collected, want %d", descCount(), base)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine; bounded
	}
}

// A leaked SocketPair end whose number was given out is collected as any
// leaked socket is: its File's cleanup closes the fd, and its description
// record (fdesc) and the registry's entry for it go (see
// TestDescRegistryForgets), though the other end lives. (From 53ee140
// to d07fc0a the other end's record held it strongly: the leaked end's
// record stayed reachable, and so did its registry entry, for an fd long
// closed. A process that makes pairs, gives one end's number out and
// drops that end, as socket.socketpair() + a subprocess's pass_fds does,
// kept one entry and one record per pair for as long as the other ends
// lived.)
func TestDescPeerKeepsNoLeakedEnd(t *testing.T) {
	base := descCount()
	var kept []*Socket
	var leaked []weak.Pointer[fdesc]
	func() {
		for range 20 {
			a, b, err := SocketPair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
			if err != nil {
				t.Fatal(err)
			}
			a.Fileno() // exposes a's description: registered
			leaked = append(leaked, weak.Make(a.h.Load().desc))
			kept = append(kept, b) // a is leaked, b is kept
		}
	}()
	defer func() {
		for _, b := range kept {
			b.Close()
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	alive := func() int {
		n := 0
		for _, w := range leaked {
			if w.Value() != nil {
				n++
			}
		}
		return n
	}
	for descCount() > base || alive() != 0 { // (an earlier test's entries may go too)
		if time.Now().After(deadline) {
			t.Fatalf("5 s after 20 SocketPair ends were leaked (their peers kept): %d registry entries over the %d before, %d of their records alive; want 0, 0",
				descCount()-base, base, alive())
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine; bounded
	}
}
