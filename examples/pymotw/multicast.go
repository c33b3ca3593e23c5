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
func MulticastSender(out func(string), group string, port int, timeout float64) error {
	message := []byte("very important data")
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer func() {
		out("closing socket")
		sock.Close()
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
