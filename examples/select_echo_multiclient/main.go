// Command select_echo_multiclient is the Go port of PyMOTW-3's select_echo_multiclient.py (two-socket client for the select servers),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.SelectEchoMulticlient(out, host, port)
	})
}
