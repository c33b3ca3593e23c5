package pymotw

import (
	"errors"
	"fmt"
	"os"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// UDSServer is socket_echo_server_uds.py: the echo server on an AF_UNIX
// path, removing a stale node first.
func UDSServer(out func(string), serverAddress string, ready func(int), connections int) (err error) {
	if err := os.Remove(serverAddress); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	sock, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer CloseInto(&err, sock)
	out(fmt.Sprintf("starting up on %s", serverAddress))
	if err := sock.Bind(serverAddress); err != nil {
		return err
	}
	if err := sock.Listen(1); err != nil {
		return err
	}
	ready(0)
	for range connections {
		out("waiting for a connection")
		connection, clientAddress, err := sock.Accept()
		if err != nil {
			return err
		}
		if err := echoConnection(out, connection, clientAddress); err != nil {
			return err
		}
	}
	return nil
}

// UDSClient is socket_echo_client_uds.py; it returns the exit status the
// program has (1 when connect fails with socket.error).
func UDSClient(out func(string), serverAddress string) (code int, err error) {
	sock, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, -1)
	if err != nil {
		return 1, err
	}
	out(fmt.Sprintf("connecting to %s", serverAddress))
	if err = sock.Connect(serverAddress); err != nil {
		var oe *pyerr.OSError // except socket.error as msg
		if !errors.As(err, &oe) {
			CloseInto(&err, sock) // the socket Python leaves to the garbage collector
			return 1, err
		}
		out(err.Error())
		return 1, sock.Close() // sock.close(); sys.exit(1)
	}
	return 0, exchange(out, sock)
}
