// Command socket_multicast_sender is the Go port of PyMOTW-3's socket_multicast_sender.py (multicast sender with settimeout(0.2)),
// written with pysock; it prints what the CPython original prints.
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
	return pymotw.MulticastSender(out, "224.3.29.71", port, 0.2)
}
