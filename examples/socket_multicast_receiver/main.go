// Command socket_multicast_receiver is the Go port of PyMOTW-3's socket_multicast_receiver.py (multicast receiver, joined on 127.0.0.1),
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
	return pymotw.MulticastReceiver(out, "224.3.29.71", port, func(int) {}, n)
}
