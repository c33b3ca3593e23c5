// Command selectors_echo_client is the Go port of PyMOTW-3's selectors_echo_client.py (selectors echo client),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.SelectorsEchoClient(out, host, port)
	})
}
