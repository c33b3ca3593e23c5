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

// The registry of exposed descriptions holds no socket alive and keeps
// no entry after its sockets are gone: closed (Close drops the entry at
// once) or leaked (the handle's cleanup drops it once collected).
func TestDescRegistryForgets(t *testing.T) {
	base := descCount()
	func() {
		for range 50 {
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
			s.Close()
			d.Close()
		}
	}()
	if n := descCount(); n != base {
		t.Fatalf("%d descriptions registered after their sockets closed, want %d", n, base)
	}
	func() {
		for range 50 {
			s, err := NewSocket(-1, -1, -1)
			if err != nil {
				t.Fatal(err)
			}
			s.Fileno() // exposed, then leaked
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for descCount() != base {
		if time.Now().After(deadline) {
			t.Fatalf("%d descriptions registered after their sockets were collected, want %d", descCount(), base)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine; bounded
	}
}
