// Command socket_multicast_receiver is the Go port of PyMOTW-3's socket_multicast_receiver.py (multicast receiver, joined on 127.0.0.1),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		return pymotw.MulticastReceiver(out, "224.3.29.71", port, func(int) {}, n)
	})
}
