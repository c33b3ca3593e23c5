// Command select_echo_server_timeout is the Go port of PyMOTW-3's select_echo_server_timeout.py (select server with a 1 s timeout),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.SelectEchoServer(out, host, port, func(int) {}, n, 1)
	})
}
