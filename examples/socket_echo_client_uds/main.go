// Command socket_echo_client_uds is the Go port of PyMOTW-3's socket_echo_client_uds.py (AF_UNIX echo client; exit status 1 when connect fails),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"os"

	"github.com/pysock/pysock/internal/pymotw"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) error {
		code, err := pymotw.UDSClient(out, "./uds_socket")
		if err == nil && code != 0 {
			os.Exit(code)
		}
		return err
	})
}
