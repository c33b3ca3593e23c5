package pysock

import (
	"runtime"
	"testing"
	"time"
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
	func() {
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
			}
		}
	}()
	// The closed ones are forgotten at once: the last handle's close.
	if n := descCount(); n != base+50 {
		t.Fatalf("%d descriptions registered, want %d (one for each socket not closed; its dup shares it)", n, base+50)
	}
	deadline := time.Now().Add(10 * time.Second)
	for descCount() != base {
		if time.Now().After(deadline) {
			t.Fatalf("%d descriptions registered after their sockets were collected, want %d", descCount(), base)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine; bounded
	}
}
