// Command socketserver_echo_simple is the Go port of PyMOTW-3's
// socketserver_echo_simple.py, written with pysock and pysock/socketserver: a
// TCPServer with a handle()-only handler, serve_forever in a goroutine, and a
// client. It prints what the CPython original prints. As there, the server
// listens on a port the kernel assigns unless -port says otherwise.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.MainPort(0, func(out func(string), host string, port, _ int) error {
		return pymotw.SocketserverEchoSimple(out, host, port)
	})
}
