package pymotw

import (
	"flag"
	"fmt"
	"os"

	"github.com/pysock/pysock/pysock"
)

// Main is the body of every examples/<program> command: it reads -host,
// -port and -n (clients or datagrams a server handles before it exits),
// runs the program with its output on stdout, and exits 1 with the error
// on stderr if it fails.
func Main(run func(out func(string), host string, port, n int) error) {
	MainPort(10000, run)
}

// MainPort is Main with another default for -port: 0 for the programs
// that let the kernel assign a port (the socketserver chapter's).
func MainPort(defaultPort int, run func(out func(string), host string, port, n int) error) {
	host := flag.String("host", "localhost", "address to use")
	port := flag.Int("port", defaultPort, "port to use (0: any free port)")
	n := flag.Int("n", 1, "how many clients or datagrams to serve before exiting")
	flag.Parse()
	if err := run(func(s string) { fmt.Println(s) }, *host, *port, *n); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// boundPort is sock.getsockname()[1] for an AF_INET socket.
func boundPort(sock *pysock.Socket) (int, error) {
	name, err := sock.GetSockName()
	if err != nil {
		return 0, err
	}
	return name.(pysock.InetAddr).Port, nil
}

// Closer is anything with Python's close(): a socket, a selector.
type Closer interface{ Close() error }

// CloseInto closes c, as the Python program's close() (at its end or in
// a finally: clause) does, and stores a failing close's error in *err
// unless *err already holds one: the first failure is the one the Python
// program raises. It is meant for defer, with err the named result.
func CloseInto(err *error, c Closer) {
	if cerr := c.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}
