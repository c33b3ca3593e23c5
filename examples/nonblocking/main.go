// Command nonblocking walks through PyMOTW-3's nonblocking.rst page
// ("Non-blocking Communication and Timeouts", which has no program of its
// own): blocking by default, setblocking(0) raising BlockingIOError,
// settimeout(0.2) raising TimeoutError. compat_test/scenarios/_pymotw.py
// has the CPython version it matches.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.NonblockingWalkthrough(out)
	})
}
