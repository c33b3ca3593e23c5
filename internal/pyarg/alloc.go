package pyarg

import (
	"sync"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// Alloc is where CPython's allocation of an n-byte buffer (a recv buffer,
// bytearray(n), a read of n bytes) raises MemoryError: n beyond the
// machine's memory and swap fails up front instead of crashing the Go
// runtime. The figure is read once.
func Alloc(n int) error {
	if n > 0 && uint64(n) > memLimit() {
		return pyerr.NewMemoryError()
	}
	return nil
}

var memLimit = sync.OnceValue(func() uint64 {
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) != nil {
		return 1<<63 - 1
	}
	return (uint64(si.Totalram) + uint64(si.Totalswap)) * uint64(si.Unit)
})
