// Command socket_multicast_sender is the Go port of PyMOTW-3's socket_multicast_sender.py (multicast sender with settimeout(0.2)),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.MulticastSender(out, "224.3.29.71", port, 0.2)
	})
}
