package pymotw

import (
	"fmt"
	"time"

	"github.com/pysock/pysock/pysock"
)

// SelectEchoSlowClient is select_echo_slow_client.py: it sleeps after
// connecting and between the two parts, then reads the echo in 16-byte
// chunks (showing the stream coalescing: 'message.Part two').
func SelectEchoSlowClient(out func(string), host string, port int, firstSleep, between time.Duration) (err error) {
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("connecting to %s port %d", host, port))
	if err = sock.Connect(pysock.Tuple{host, port}); err != nil {
		CloseInto(&err, sock) // the socket Python leaves to the garbage collector
		return err
	}
	time.Sleep(firstSleep)
	messages := [][]byte{[]byte("Part one of the message."), []byte("Part two of the message.")}
	defer func() {
		out("closing socket")
		CloseInto(&err, sock)
	}()
	expected := 0
	for _, m := range messages {
		expected += len(m)
	}
	for _, m := range messages {
		out(fmt.Sprintf("sending %s", r(b(m))))
		if err := sock.SendAll(m); err != nil {
			return err
		}
		time.Sleep(between)
	}
	for received := 0; received < expected; {
		data, err := sock.Recv(16)
		if err != nil {
			return err
		}
		received += len(data)
		out(fmt.Sprintf("received %s", r(b(data))))
	}
	return nil
}

// PollEchoServer is select_poll_echo_server.py: the echo server on
// select.poll with poll(1000), register/modify/unregister and an fd →
// socket map; it stops once `clients` connections have closed.
func PollEchoServer(out func(string), host string, port int, ready func(int), clients int) (err error) {
	server, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	fdToSocket := map[int]*pysock.Socket{server.Fileno(): server}
	defer func() { // server.close(), and the connections an error left open
		for _, s := range fdToSocket {
			CloseInto(&err, s)
		}
	}()
	if err := server.SetBlocking(false); err != nil {
		return err
	}
	if err := server.Bind(pysock.Tuple{host, port}); err != nil {
		return err
	}
	bound, err := boundPort(server)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("starting up on %s port %d", host, bound))
	if err := server.Listen(5); err != nil {
		return err
	}
	ready(bound)
	const timeout = 1000
	const readOnly = pysock.POLLIN | pysock.POLLPRI | pysock.POLLHUP | pysock.POLLERR
	const readWrite = readOnly | pysock.POLLOUT
	poller := pysock.Poll()
	if err := poller.Register(server, readOnly); err != nil {
		return err
	}
	messageQueues := map[*pysock.Socket][][]byte{}
	var clientAddress pysock.Address
	closed := 0
	for closed < clients {
		out("waiting for the next event")
		events, err := poller.Poll(timeout)
		if err != nil {
			return err
		}
		for _, ev := range events {
			s := fdToSocket[ev.Fd]
			flag := ev.Events
			switch {
			case flag&(pysock.POLLIN|pysock.POLLPRI) != 0:
				if s == server {
					connection, addr, err := s.Accept()
					if err != nil {
						return err
					}
					clientAddress = addr
					out(fmt.Sprintf("  connection %s", clientAddress))
					fdToSocket[connection.Fileno()] = connection // closed by the deferred loop on an error
					if err := connection.SetBlocking(false); err != nil {
						return err
					}
					if err := poller.Register(connection, readOnly); err != nil {
						return err
					}
					messageQueues[connection] = nil
					continue
				}
				data, err := s.Recv(1024)
				if err != nil {
					return err
				}
				if len(data) > 0 {
					peer, err := s.GetPeerName()
					if err != nil {
						return err
					}
					out(fmt.Sprintf("  received %s from %s", r(b(data)), peer))
					messageQueues[s] = append(messageQueues[s], data)
					if err := poller.Modify(s, readWrite); err != nil {
						return err
					}
					continue
				}
				out(fmt.Sprintf("  closing %s", clientAddress))
				if err := closeRegistered(poller, fdToSocket, ev.Fd); err != nil {
					return err
				}
				delete(messageQueues, s)
				closed++
			case flag&pysock.POLLHUP != 0:
				out(fmt.Sprintf("  closing %s (HUP)", clientAddress))
				if err := closeRegistered(poller, fdToSocket, ev.Fd); err != nil {
					return err
				}
				closed++
			case flag&pysock.POLLOUT != 0:
				peer, err := s.GetPeerName()
				if err != nil {
					return err
				}
				q := messageQueues[s]
				if len(q) == 0 {
					out(fmt.Sprintf("%s queue empty", peer))
					if err := poller.Modify(s, readOnly); err != nil {
						return err
					}
					continue
				}
				messageQueues[s] = q[1:]
				out(fmt.Sprintf("  sending %s to %s", r(b(q[0])), peer))
				if _, err := s.Send(q[0]); err != nil {
					return err
				}
			case flag&pysock.POLLERR != 0:
				peer, err := s.GetPeerName()
				if err != nil {
					return err
				}
				out(fmt.Sprintf("  exception on %s", peer))
				if err := closeRegistered(poller, fdToSocket, ev.Fd); err != nil {
					return err
				}
				delete(messageQueues, s)
			}
		}
	}
	return nil
}

// closeRegistered is poller.unregister(s); del fd_to_socket[fd]; s.close().
func closeRegistered(poller *pysock.PollObject, fdToSocket map[int]*pysock.Socket, fd int) error {
	s := fdToSocket[fd]
	if err := poller.Unregister(s); err != nil {
		return err
	}
	delete(fdToSocket, fd)
	return s.Close()
}
