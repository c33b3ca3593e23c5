// Command socket_echo_server_uds is the Go port of PyMOTW-3's socket_echo_server_uds.py (AF_UNIX echo server on ./uds_socket),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.UDSServer(out, "./uds_socket", func(int) {}, n)
	})
}
