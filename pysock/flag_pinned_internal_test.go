package pysock

import (
	"testing"

	"golang.org/x/sys/unix"
)

// kernelNB reads s's kernel O_NONBLOCK flag without giving the number out.
func kernelNB(t *testing.T, s *Socket) bool {
	t.Helper()
	fl, err := unix.FcntlInt(uintptr(s.fileno()), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	return fl&unix.O_NONBLOCK != 0
}

// Until a socket's number is given out, its kernel flag stays O_NONBLOCK
// in blocking mode too, and mode changes cost no syscall; the first way
// out sets CPython's flag. set_inheritable(True) is a way out (a child
// process gets the description), set_inheritable(False) is not.
func TestFlagPinnedOnlyByWaysOut(t *testing.T) {
	ways := []struct {
		name string
		out  func(s *Socket) error
		pins bool
	}{
		{"nothing", func(*Socket) error { return nil }, false},
		{"set_inheritable(False)", func(s *Socket) error { return s.SetInheritable(false) }, false},
		{"getsockname", func(s *Socket) error { _, err := s.GetSockName(); return err }, false},
		{"repr", func(s *Socket) error { s.Repr(); return nil }, true},
		{"fileno", func(s *Socket) error { s.Fileno(); return nil }, true},
		{"set_inheritable(True)", func(s *Socket) error { return s.SetInheritable(true) }, true},
		{"syscall conn", func(s *Socket) error { _, err := (&Conn{s: s}).SyscallConn(); return err }, true},
	}
	for _, w := range ways {
		s, err := NewSocket(AF_INET, SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !kernelNB(t, s) || s.h.Load().desc.pinned.Load() {
			t.Fatalf("%s: a new blocking socket: flag clear or pinned", w.name)
		}
		s.SetTimeout(0)
		s.SetTimeout(nil)
		if err := w.out(s); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if pinned := s.h.Load().desc.pinned.Load(); pinned != w.pins || kernelNB(t, s) == w.pins {
			t.Errorf("%s: pinned %v, kernel O_NONBLOCK %v in blocking mode; want pinned %v", w.name, pinned, kernelNB(t, s), w.pins)
		}
		// Pinned or not, a mode change reaches the flag of a pinned record only.
		s.SetTimeout(0)
		if !kernelNB(t, s) {
			t.Errorf("%s: non-blocking mode with the flag clear", w.name)
		}
		s.SetTimeout(nil)
		if kernelNB(t, s) == w.pins {
			t.Errorf("%s: back to blocking mode: kernel O_NONBLOCK %v", w.name, kernelNB(t, s))
		}
		s.Close()
	}
}
