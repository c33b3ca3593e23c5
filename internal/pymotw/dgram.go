package pymotw

import (
	"fmt"

	"github.com/pysock/pysock/pysock"
)

// DgramServer is socket_echo_server_dgram.py: it echoes `datagrams`
// datagrams back to their senders.
func DgramServer(out func(string), host string, port int, ready func(int), datagrams int) (err error) {
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer CloseInto(&err, sock)
	if err := sock.Bind(pysock.Tuple{host, port}); err != nil {
		return err
	}
	bound, err := boundPort(sock)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("starting up on %s port %d", host, bound))
	ready(bound)
	for range datagrams {
		out("\nwaiting to receive message")
		data, address, err := sock.RecvFrom(4096)
		if err != nil {
			return err
		}
		out(fmt.Sprintf("received %d bytes from %s", len(data), address))
		out(r(b(data)))
		if len(data) > 0 {
			sent, err := sock.SendTo(data, address)
			if err != nil {
				return err
			}
			out(fmt.Sprintf("sent %d bytes back to %s", sent, address))
		}
	}
	return nil
}

// DgramClient is socket_echo_client_dgram.py.
func DgramClient(out func(string), host string, port int) (err error) {
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer func() {
		out("closing socket")
		CloseInto(&err, sock)
	}()
	out(fmt.Sprintf("sending %s", r(b(Message))))
	if _, err := sock.SendTo(Message, pysock.Tuple{host, port}); err != nil {
		return err
	}
	out("waiting to receive")
	data, _, err := sock.RecvFrom(4096)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("received %s", r(b(data))))
	return nil
}
