// Command socket_socketpair is the Go port of PyMOTW-3's socket_socketpair.py (socketpair ping/pong (the child is a goroutine)),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/pysock/pysock/examples/pymotw"
	"github.com/pysock/pysock/pysock"
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
	parent, child, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	defer parent.Close()
	defer child.Close()
	done := make(chan error, 1)
	go func() { done <- pymotw.SocketPairChild(out, child) }()
	if err := pymotw.SocketPairParent(out, parent); err != nil {
		return err
	}
	return <-done
}
