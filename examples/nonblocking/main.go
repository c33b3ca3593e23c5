// Command nonblocking walks through PyMOTW-3's seed page, nonblocking.rst
// ("Non-blocking Communication and Timeouts", which has no program of its
// own): blocking by default, setblocking(0) raising BlockingIOError,
// settimeout(0.2) raising TimeoutError. compat_test/scenarios/_pymotw.py
// has the CPython version it matches.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/pysock/pysock/examples/pymotw"
)

func main() {
	host := flag.String("host", "localhost", "address to use")
	port := flag.Int("port", 10000, "port to use (0: any free port)")
	n := flag.Int("n", 1, "how many clients or datagrams to serve before exiting")
	flag.Parse()
	out := func(s string) { fmt.Println(s) }
	if err := run(out, *host, *port, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(out func(string), host string, port, n int) error {
	return pymotw.NonblockingWalkthrough(out)
}
