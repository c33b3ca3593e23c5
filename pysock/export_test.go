package pysock

import (
	"path/filepath"
	"testing"
)

// Test helpers shared with the external tests (package pysock_test).

// UnixPathPair connects two AF_UNIX sockets of the kind given through a
// path in a temporary directory: c connected, s accepted.
func UnixPathPair(t *testing.T, kind SocketKind) (c, s *Socket) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s")
	srv, err := NewSocket(AF_UNIX, kind, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Bind(path); err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	if c, err = NewSocket(AF_UNIX, kind, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Connect(path); err != nil {
		c.Close()
		t.Fatal(err)
	}
	if s, _, err = srv.Accept(); err != nil {
		c.Close()
		t.Fatal(err)
	}
	return c, s
}

// DrainCount reads everything queued on s, switching it to non-blocking
// mode, and returns the byte count.
func DrainCount(s *Socket) int {
	s.SetBlocking(false)
	k := 0
	for {
		d, err := s.Recv(1 << 20)
		if err != nil || len(d) == 0 {
			return k
		}
		k += len(d)
	}
}

// HandleOf is what Fileno (and Conn.SyscallConn) loads before giving the
// number out: the socket's handle.
func HandleOf(s *Socket) any { return s.h.Load() }

// Expose is the rest of Fileno with a handle HandleOf gave: expose. With
// HandleOf it forces the interleaving of Fileno with another goroutine's
// Close.
func Expose(h any) { h.(*handle).expose() }
