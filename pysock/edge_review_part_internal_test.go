package pysock

import (
	"testing"
	"time"
)

// From the outside review of abd8b61 (finding 1, the listing): its early return in writeAgain (a part
// sent, then a Close) skips the unpark of a continuation that parked, so
// the closed socket's handle stays on its description's parked list and,
// for an AF_UNIX stream socket, the description stays in peerWaits (which
// every later peer SHUT_RD in the process then scans and wakes). A socket
// whose number was never given out leaves both lists (pollIO's loop
// unparks).
//
// python3 3.11: nothing to list; the kernel's call goes on after the close
// (a, b = socketpair(); a.fileno(); a thread's a.send(bytes(4 MiB));
// a.close(); b drains 4194304; the send returns 4194304).
func TestCloseParkedContinuationStaysListed(t *testing.T) {
	for _, expose := range []bool{false, true} {
		a, b := socketPair(t)
		if expose {
			a.Fileno()
		}
		d := a.h.Load().desc
		ch := make(chan error, 1)
		go func() {
			_, err := a.Send(make([]byte, 4<<20))
			ch <- err
		}()
		deadline := time.Now().Add(5 * time.Second)
		for !stackHas("(*Socket).Send", "IO wait") && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		a.Close()
		var err error
		select {
		case err = <-ch:
		case <-time.After(5 * time.Second):
			b.Close()
			t.Fatal("send still running 5 s after Close (hang)")
		}
		b.Close()
		d.wmu.Lock()
		n := 0
		for p := d.parked; p != nil; p = p.nextParked {
			n++
		}
		d.wmu.Unlock()
		peerWaits.mu.Lock()
		listed := d.waitListed
		peerWaits.mu.Unlock()
		if n != 0 || listed {
			t.Errorf("exposed %v: send -> %v; after it returned, the closed socket's description has %d parked handle(s), listed in peerWaits: %v (not exposed: 0, false)", expose, err, n, listed)
		}
	}
}
