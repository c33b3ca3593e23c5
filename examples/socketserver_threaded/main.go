// Command socketserver_threaded is the Go port of PyMOTW-3's
// socketserver_threaded.py, written with pysock and pysock/socketserver:
// ThreadingMixIn with TCPServer, serve_forever in a goroutine and each request
// in a goroutine of its own, and a client; the reply names the request's
// thread. It prints what the CPython original prints. As there, the server
// listens on a port the kernel assigns unless -port says otherwise.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.MainPort(0, func(out func(string), host string, port, _ int) error {
		return pymotw.SocketserverThreaded(out, host, port)
	})
}
