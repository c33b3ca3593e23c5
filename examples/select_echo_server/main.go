// Command select_echo_server is the Go port of PyMOTW-3's select_echo_server.py (select-based echo server),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.SelectEchoServer(out, host, port, func(int) {}, n, nil)
	})
}
