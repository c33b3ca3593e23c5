package pysock

import (
	"testing"
	"time"
)

// From the outside review of dff5caa, the deterministic form of
// TestCloseRacingPartSend: a non-blocking-mode send on an exposed
// socket sends a part at once, then looks at the kernel's flag
// (lookOutside) before it returns. The description's lock, which the look
// takes, is held here so that a Close lands between the sendto that sent
// the part and the look (the window a Close overlapping the sendto hits
// naturally: Go's File.Close waits for that RawWrite, then the look's
// rc.Control and the following rc.Write fail). The send reported
// OSError(9) for a call whose bytes the peer had.
//
// python3 3.11 (a, b = socketpair(); a.setblocking(False); a.fileno()):
//
//	a.send(bytes(4 MiB)) -> 219264 (the sendto returned; a close from another
//	thread after it cannot change the result); b then reads 219264 bytes
func TestCloseBetweenPartAndLook(t *testing.T) {
	a, b := socketPair(t)
	defer b.Close()
	defer a.Close()
	a.SetBlocking(false)
	a.Fileno()
	d := a.h.Load().desc
	d.mu.Lock()
	locked := true
	defer func() {
		if locked {
			d.mu.Unlock()
		}
	}()
	type res struct {
		n   int
		err error
	}
	ch := make(chan res, 1)
	go func() {
		n, err := a.Send(make([]byte, 4<<20))
		ch <- res{n, err}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !stackHas("lookOutside", "sync.(*Mutex).Lock") {
		if time.Now().After(deadline) {
			d.mu.Unlock()
			locked = false
			a.Close()
			select {
			case r := <-ch:
				t.Fatalf("the send never waited at its look (returned %d, %v)", r.n, r.err)
			case <-time.After(5 * time.Second):
				t.Fatal("the send never reached its look, and hangs")
			}
		}
		time.Sleep(time.Millisecond)
	}
	a.Close()
	d.mu.Unlock()
	locked = false
	var r res
	select {
	case r = <-ch:
	case <-time.After(5 * time.Second):
		b.Close()
		t.Fatal("send still running 5 s after the close (hang)")
	}
	k := DrainCount(b)
	if r.err != nil || r.n != k {
		t.Fatalf("send = %d, %v; the peer received %d bytes; CPython: send returns the %d bytes the kernel took", r.n, r.err, k, k)
	}
}
