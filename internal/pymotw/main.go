package pymotw

import (
	"flag"
	"fmt"
	"os"
)

// Main is the body of every examples/<program> command: it reads -host,
// -port and -n (clients or datagrams a server handles before it exits),
// runs the program with its output on stdout, and exits 1 with the error
// on stderr if it fails.
func Main(run func(out func(string), host string, port, n int) error) {
	host := flag.String("host", "localhost", "address to use")
	port := flag.Int("port", 10000, "port to use (0: any free port)")
	n := flag.Int("n", 1, "how many clients or datagrams to serve before exiting")
	flag.Parse()
	if err := run(func(s string) { fmt.Println(s) }, *host, *port, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
