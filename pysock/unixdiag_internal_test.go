package pysock

import (
	"errors"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// inodeOf is the inode number of s's socket.
func inodeOf(t *testing.T, s *Socket) uint64 {
	t.Helper()
	ino := sockInode(s.fileno())
	if ino == 0 {
		t.Fatal("no inode")
	}
	return ino
}

// unixPeerIno names the peer the kernel names (`ss -x`'s peer column):
// each end of a socketpair or of a connection through a path has the
// other for peer; an unconnected socket has none.
func TestUnixPeerIno(t *testing.T) {
	check := func(name string, a, b *Socket) {
		t.Helper()
		defer a.Close()
		defer b.Close()
		for _, p := range [][2]*Socket{{a, b}, {b, a}} {
			peer, ok := unixPeerIno(inodeOf(t, p[0]))
			if !ok {
				t.Fatalf("%s: the kernel was not asked (diagBroken %v)", name, diagBroken.Load())
			}
			if want := inodeOf(t, p[1]); peer != want {
				t.Fatalf("%s: peer inode %d, want %d", name, peer, want)
			}
		}
	}
	a, b := socketPair(t)
	check("socketpair", a, b)
	a, b = pathPair(t)
	check("path", a, b)
	s, err := NewSocket(AF_UNIX, SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if peer, ok := unixPeerIno(inodeOf(t, s)); !ok || peer != 0 {
		t.Fatalf("unconnected: %d, %v; want 0, true", peer, ok)
	}
	if _, ok := unixPeerIno(0); ok {
		t.Fatal("inode 0 answered")
	}
}

// A shutdown(SHUT_RD) wakes only the sends parked on its peer: another
// pair's shutdown leaves them parked (each would otherwise try again and
// park again: every shutdown in the process cost a wake-up of every parked
// send, found by the outside review of 1931212), and the peer's wakes
// them.
func TestPeerShutdownWakesOnlyThePeer(t *testing.T) {
	a, b := socketPair(t)
	defer a.Close()
	defer b.Close()
	a.SetBlocking(false)
	for {
		if _, err := a.Send(make([]byte, 65536)); err != nil {
			break
		}
	}
	a.SetBlocking(true)
	done := make(chan error, 1)
	go func() {
		_, err := a.Send(make([]byte, 100))
		done <- err
	}()
	d := a.h.Load().desc
	deadline := time.Now().Add(5 * time.Second)
	for {
		peerWaits.mu.Lock()
		listed := d.waitListed
		peerWaits.mu.Unlock()
		if listed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the send never parked")
		}
		time.Sleep(time.Millisecond) // bounded: waiting for the park
	}
	before := d.shutdowns.Load()
	for range 3 {
		x, y := socketPair(t)
		if err := y.Shutdown(unix.SHUT_RDWR); err != nil {
			t.Fatal(err)
		}
		x.Close()
		y.Close()
	}
	if diagBroken.Load() {
		t.Skip("the kernel does not answer sock_diag: every send is woken")
	}
	if n := d.shutdowns.Load() - before; n != 0 {
		t.Errorf("3 shutdowns of another pair woke the parked send %d times, want 0", n)
	}
	if err := b.Shutdown(unix.SHUT_RD); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var oe *pyerr.OSError
		if !errors.As(err, &oe) || oe.Errno != int(unix.EPIPE) {
			t.Fatalf("send after the peer's shutdown(SHUT_RD) = %v, want BrokenPipeError(32)", err)
		}
	case <-time.After(3 * time.Second):
		b.Close()
		<-done
		t.Fatal("the peer's shutdown(SHUT_RD) did not wake the send")
	}
}
