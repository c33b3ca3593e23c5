// Command socketserver_echo is the Go port of PyMOTW-3's socketserver_echo.py,
// written with pysock and pysock/socketserver: an EchoServer and an
// EchoRequestHandler that log every method the server calls, serve_forever in
// a goroutine, and a client logging as 'client'. It prints what the CPython
// original logs. As there, the server listens on a port the kernel assigns
// unless -port says otherwise.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.MainPort(0, func(out func(string), host string, port, _ int) error {
		return pymotw.SocketserverEcho(out, host, port)
	})
}
