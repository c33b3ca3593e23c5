package pysock

import (
	"testing"

	"golang.org/x/sys/unix"
)

// Fileno racing Close: Fileno loads the handle, Close swaps it out and
// closes its File, then Fileno's expose calls pin on the closed handle.
// pin's ioctl fails ("A closed socket fails here"), yet it marks the
// record pinned. The record is shared with a dup, whose description stays
// O_NONBLOCK in blocking mode for good: the dup's own Fileno no longer
// clears it (pin returns early). A black-box loop of s.Close() in a
// goroutine against s.Fileno() hit this about once in 10000 tries; here
// the interleaving is forced by calling pin with the handle Fileno would
// hold.
//
// CPython (the dup's flag is clear, whatever happened to the original):
//
//	>>> s = socket.socket(); d = s.dup(); s.close()
//	>>> bool(fcntl.fcntl(d.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)
//	False
func TestPinnedCloseRacingFilenoLeavesDupNonblocking(t *testing.T) {
	s, err := NewSocket(AF_INET, SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	h := s.h.Load() // what Fileno loaded
	s.Close()       // the other goroutine's Close lands here
	h.pin()         // Fileno goes on: expose -> pin
	fl, err := unix.FcntlInt(uintptr(d.Fileno()), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	if fl&unix.O_NONBLOCK != 0 {
		t.Errorf("pysock did: O_NONBLOCK set on the blocking dup's description (read through d.Fileno()) after Fileno raced Close on the original; CPython: clear")
	}
}
