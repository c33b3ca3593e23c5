// Command socket_echo_client_easy is the Go port of PyMOTW-3's socket_echo_client_easy.py (create_connection client),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.EchoClientEasy(out, host, port)
	})
}
