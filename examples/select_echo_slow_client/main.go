// Command select_echo_slow_client is the Go port of PyMOTW-3's select_echo_slow_client.py (slow client for the timeout servers),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"time"

	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.SelectEchoSlowClient(out, host, port, time.Second, 1500*time.Millisecond)
	})
}
