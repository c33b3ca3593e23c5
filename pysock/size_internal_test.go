package pysock

import (
	"testing"
	"unsafe"
)

// TestSocketSize keeps a Socket within the 240-byte allocation class and
// its per-call state packed: a server holds one Socket per connection, so
// at 10 000 connections every byte here is 10 kB (cmd/pysock-bench's W3
// measures VmHWM against Go net; see docs/performance.md).
func TestSocketSize(t *testing.T) {
	if n := unsafe.Sizeof(ioState{}); n > 80 {
		t.Errorf("ioState is %d bytes, want <= 80", n)
	}
	if n := unsafe.Sizeof(Socket{}); n > 240 {
		t.Errorf("Socket is %d bytes, want <= 240", n)
	}
}
