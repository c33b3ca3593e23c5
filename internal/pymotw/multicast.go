package pymotw

import (
	"errors"
	"fmt"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// MulticastSender is socket_multicast_sender.py: one datagram to the
// group, then acks until recvfrom times out (settimeout(timeout)), with
// IP_MULTICAST_IF=127.0.0.1 as in the captured runs.
func MulticastSender(out func(string), group string, port int, timeout float64) (err error) {
	message := []byte("very important data")
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer func() {
		out("closing socket")
		CloseInto(&err, sock)
	}()
	if err := sock.SetTimeout(timeout); err != nil {
		return err
	}
	if err := sock.SetSockOpt(pysock.IPPROTO_IP, pysock.IP_MULTICAST_TTL, []byte{1}); err != nil { // struct.pack('b', 1)
		return err
	}
	iface, err := pysock.InetAton("127.0.0.1")
	if err != nil {
		return err
	}
	if err := sock.SetSockOpt(pysock.IPPROTO_IP, pysock.IP_MULTICAST_IF, iface); err != nil {
		return err
	}
	out(fmt.Sprintf("sending %s", r(b(message))))
	if _, err := sock.SendTo(message, pysock.Tuple{group, port}); err != nil {
		return err
	}
	for {
		out("waiting to receive")
		data, server, err := sock.RecvFrom(16)
		var timeoutErr *pyerr.TimeoutError // except socket.timeout
		if errors.As(err, &timeoutErr) {
			out("timed out, no more responses")
			return nil
		}
		if err != nil {
			return err
		}
		out(fmt.Sprintf("received %s from %s", r(b(data)), server))
	}
}

// MulticastReceiver is socket_multicast_receiver.py, adapted as in the
// captured runs: it binds the group address with SO_REUSEADDR, joins the
// group on 127.0.0.1 and answers `datagrams` datagrams with b'ack'.
func MulticastReceiver(out func(string), group string, port int, ready func(int), datagrams int) (err error) {
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer CloseInto(&err, sock)
	if err := sock.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, 1); err != nil {
		return err
	}
	if err := sock.Bind(pysock.Tuple{group, port}); err != nil {
		return err
	}
	g, err := pysock.InetAton(group)
	if err != nil {
		return err
	}
	iface, err := pysock.InetAton("127.0.0.1")
	if err != nil {
		return err
	}
	if err := sock.SetSockOpt(pysock.IPPROTO_IP, pysock.IP_ADD_MEMBERSHIP, append(g, iface...)); err != nil {
		return err
	}
	ready(port)
	for range datagrams {
		out("\nwaiting to receive message")
		data, address, err := sock.RecvFrom(1024)
		if err != nil {
			return err
		}
		out(fmt.Sprintf("received %d bytes from %s", len(data), address))
		out(r(b(data)))
		out(fmt.Sprintf("sending acknowledgement to %s", address))
		if _, err := sock.SendTo([]byte("ack"), address); err != nil {
			return err
		}
	}
	return nil
}
